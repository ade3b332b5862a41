package io.damselfly.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of durations in flags and config files: a number of seconds ({@code 30}, {@code 1.5}), a
 * number with {@code ms}, {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}), or an ISO-8601 duration ({@code PT1M}).
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * Parses {@code text}; {@code what} names the flag or key in the message.
   *
   * @throws IllegalArgumentException naming {@code what} and the grammar when {@code text} is none of the forms
   */
  public static Duration parse(String what, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(what, text);
      }
    }
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw bad(what, text);
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> number;
      case "m" -> number * 60_000;
      case "h" -> number * 3_600_000;
      default -> number * 1000;
    };
    return Duration.ofMillis(Math.round(millis));
  }

  private static IllegalArgumentException bad(String what, String text) {
    return new IllegalArgumentException(what + " must be a number of seconds or a duration such as 500ms, 30s, 5m, "
        + "1h or PT1M, got '" + text + "'");
  }
}
