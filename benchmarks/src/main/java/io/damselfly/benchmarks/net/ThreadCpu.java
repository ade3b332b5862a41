package io.damselfly.benchmarks.net;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of a process's threads from {@code /proc/<pid>/task/<tid>/stat} (user + system clock ticks), summed by
 * thread name with digits removed ({@code C2 CompilerThread0} and {@code C2 CompilerThread1} are one group).
 * Linux only; elsewhere the snapshot is empty.
 */
public final class ThreadCpu {
  private static final double TICKS_PER_SECOND = 100;

  private ThreadCpu() {}

  /** Seconds of CPU by thread group of {@code pid}, now. */
  public static Map<String, Double> snapshot(long pid) {
    Map<String, Double> out = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#").trim();
          String[] f = stat.substring(close + 2).split(" ");
          double secs = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
          out.merge(name, secs, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  /** The groups that used CPU between two snapshots, largest first, as {@code name 1.23} items. */
  public static String delta(Map<String, Double> before, Map<String, Double> after) {
    List<Map.Entry<String, Double>> d = after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.01).sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
    return d.stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining("; "));
  }
}
