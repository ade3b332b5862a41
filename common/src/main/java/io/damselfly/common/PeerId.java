package io.damselfly.common;

import java.util.UUID;
import java.util.regex.Pattern;

/** Identifies one peer (a dfget run or a dfdaemon). Safe as a URL path segment and file name. */
public record PeerId(String value) {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public PeerId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "peer id must be 1-128 characters of [A-Za-z0-9._-] starting with a letter or digit, got '"
              + value + "'");
    }
  }

  public static PeerId of(String value) {
    return new PeerId(value);
  }

  /** A fresh id made of the host name (sanitised) and a random suffix. */
  public static PeerId random(String hostHint) {
    String host = hostHint == null ? "peer" : hostHint.replaceAll("[^A-Za-z0-9._-]", "");
    if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) {
      host = "peer" + host;
    }
    if (host.length() > 80) {
      host = host.substring(0, 80);
    }
    return new PeerId(host + "-" + UUID.randomUUID().toString().substring(0, 13));
  }

  @Override
  public String toString() {
    return value;
  }
}
