package io.damselfly.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses human sizes such as {@code 20M}, {@code 512K}, {@code 1.5G}, {@code 100MB} or {@code 1024}
 * into bytes. Units are binary (K = 1024). Used for file sizes and, per second, for rates.
 */
public final class ByteSize {
  private static final Pattern FORM =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(I?B)?(/S)?", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /**
   * Parses {@code text} for the named argument.
   *
   * @throws IllegalArgumentException naming {@code what} and the accepted forms
   */
  public static long parse(String what, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(what + " must be a size such as 20M, 512K or 1G, got nothing");
    }
    Matcher m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          what + " must be a size such as 20M, 512K, 1.5G or 1048576, got '" + text + "'");
    }
    double number = Double.parseDouble(m.group(1));
    long unit =
        switch (m.group(2)) {
          case "K" -> 1L << 10;
          case "M" -> 1L << 20;
          case "G" -> 1L << 30;
          case "T" -> 1L << 40;
          default -> 1L;
        };
    double bytes = number * unit;
    if (bytes > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException(what + " is too large: '" + text + "'");
    }
    return (long) bytes;
  }

  /** Formats bytes for people: {@code 1.5 MiB}. */
  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
