package io.damselfly.common;

import java.util.regex.Pattern;

/**
 * Identifies one version of one content on a supernode. Safe to use as a file name and a URL path
 * segment: lowercase letters, digits and '-' only.
 */
public record TaskId(String value) {
  private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,95}");

  public TaskId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "task id must be 1-96 characters of [a-z0-9-] starting with a letter or digit, got '"
              + value + "'");
    }
  }

  public static TaskId of(String value) {
    return new TaskId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
