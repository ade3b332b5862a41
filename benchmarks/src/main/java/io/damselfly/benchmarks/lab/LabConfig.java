package io.damselfly.benchmarks.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one lab invocation runs.
 *
 * @param sweep the N values, in order (default 2, 4, 8, 16)
 * @param size file size in bytes (default 128 MiB)
 * @param rateBits each host's cap, bits per second up and down (default 100 Mbit/s)
 * @param systems the systems to run at each N, in order (default all four)
 * @param out where the timestamped result directories go (default results/lab)
 * @param loopback force the loopback fallback even where namespaces can be made
 * @param seed seed of the file's pseudo-random bytes
 */
public record LabConfig(List<Integer> sweep, long size, long rateBits, List<String> systems, Path out,
    boolean loopback, long seed) {
  public static final List<String> ALL_SYSTEMS = List.of(DirectSystem.NAME, BitTorrentSystem.NAME,
      DamselflySystem.NAME, DamselflySystem.DAEMON_NAME);
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]?)(bit|bps)?");

  public LabConfig {
    if (sweep == null || sweep.isEmpty() || sweep.stream().anyMatch(n -> n < 1 || n > 200)) {
      throw new IllegalArgumentException("hosts must be a list of N in [1, 200], got " + sweep);
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1 byte, got " + size);
    }
    if (rateBits < 1_000_000) {
      throw new IllegalArgumentException("rate must be >= 1mbit, got " + rateBits + " bit/s");
    }
    if (systems == null || systems.isEmpty() || !Set.copyOf(ALL_SYSTEMS).containsAll(systems)) {
      throw new IllegalArgumentException("systems must be some of " + ALL_SYSTEMS + ", got " + systems);
    }
    sweep = List.copyOf(sweep);
    systems = List.copyOf(systems);
  }

  /** The largest N: the network holds this many downloading hosts plus the origin's and the seed's. */
  public int maxN() {
    return sweep.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  /** Bytes per second of each cap. */
  public double rateBytes() {
    return rateBits / 8.0;
  }

  /**
   * Parses a link rate as tc writes it: {@code 100mbit}, {@code 1gbit}, {@code 500kbit} or bits per second.
   *
   * @throws IllegalArgumentException naming {@code what} and the accepted forms
   */
  public static long parseRate(String what, String text) {
    Matcher m = RATE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(what + " must be a rate such as 100mbit, 1gbit or 500kbit, got '" + text
          + "'");
    }
    long unit = switch (m.group(2)) {
      case "k" -> 1_000L;
      case "m" -> 1_000_000L;
      case "g" -> 1_000_000_000L;
      default -> 1L;
    };
    return (long) (Double.parseDouble(m.group(1)) * unit);
  }
}
