package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A description of the machine a lab ran on, for the report: CPU, memory, kernel, JDK, tool versions. */
public final class MachineInfo {
  private MachineInfo() {}

  /** Markdown bullet lines. */
  public static List<String> describe() {
    List<String> out = new ArrayList<>();
    out.add("- CPU: " + firstMatch(Path.of("/proc/cpuinfo"), "model name").orElse("unknown") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores");
    out.add("- Memory: " + firstMatch(Path.of("/proc/meminfo"), "MemTotal").orElse("unknown"));
    out.add("- OS: " + firstMatch(Path.of("/etc/os-release"), "PRETTY_NAME").map(s -> s.replace("\"", ""))
        .orElse(System.getProperty("os.name")) + ", kernel " + System.getProperty("os.version"));
    out.add("- JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version());
    out.add("- Tools: " + version("nginx", "-v") + "; " + version("aria2c", "--version") + "; "
        + version("curl", "--version"));
    out.add("- Lab priority: nice " + read(Path.of("/proc/self/stat")).map(MachineInfo::nice).orElse("unknown")
        + " (every process the lab starts inherits it)");
    out.add("- Load average at start: " + read(Path.of("/proc/loadavg")).map(s -> s.split(" ", 4))
        .map(f -> f[0] + " " + f[1] + " " + f[2]).orElse("unknown"));
    return out;
  }

  private static Optional<String> firstMatch(Path file, String key) {
    return read(file).flatMap(text -> text.lines().filter(l -> l.startsWith(key)).findFirst())
        .map(l -> l.substring(l.indexOf(l.contains(":") ? ':' : '=') + 1).trim());
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String version(String tool, String flag) {
    if (!Sh.has(tool)) {
      return tool + " not installed";
    }
    Sh.Result r = Sh.exec(List.of(tool, flag));
    String text = (r.out() + r.err()).lines().findFirst().orElse(tool).trim();
    return text.replace("nginx version: ", "");
  }

  /** The machine's CPU time so far from /proc/stat: {busy, total} in ticks; {0, 0} when unreadable. */
  public static long[] cpuTicks() {
    return read(Path.of("/proc/stat")).flatMap(t -> t.lines().filter(l -> l.startsWith("cpu ")).findFirst())
        .map(MachineInfo::ticks).orElse(new long[] {0, 0});
  }

  static long[] ticks(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    long total = 0;
    long idle = 0;
    for (int i = 1; i < f.length; i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) { // idle, iowait
        idle += v;
      }
    }
    return new long[] {total - idle, total};
  }

  /** The share of CPU time the machine was busy between two {@link #cpuTicks()} readings; NaN when unknown. */
  public static double busy(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
  }

  /** The nice value from a /proc/PID/stat line (field 19; the command in parentheses may hold spaces). */
  static String nice(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return f.length > 16 ? f[16] : "unknown";
  }
}
