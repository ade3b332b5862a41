package io.damselfly.benchmarks.micro;

import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peak heap a JVM used, read from its unified GC log ({@code -Xlog:gc,gc+heap+exit}): the largest
 * heap occupancy before a collection ({@code GC(3) Pause Young ... 24M->3M(128M)}) or at exit
 * ({@code garbage-first heap total ..., used 23456K}). Between collections the heap only grows, so the
 * largest value before one (or at exit) is the peak.
 */
final class GcLog {
  private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
  private static final Pattern EXIT = Pattern.compile("heap\\s+total.*used (\\d+)([KMG])");

  private GcLog() {}

  /** The peak used heap in bytes, or empty when the log has neither a collection nor an exit summary. */
  static OptionalLong peakBytes(List<String> lines) {
    long peak = -1;
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, bytes(m.group(1), m.group(2)));
        continue;
      }
      Matcher e = EXIT.matcher(line);
      if (e.find()) {
        peak = Math.max(peak, bytes(e.group(1), e.group(2)));
      }
    }
    return peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak);
  }

  /** How many collections the log shows. */
  static int collections(List<String> lines) {
    return (int) lines.stream().filter(l -> PAUSE.matcher(l).find()).count();
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
