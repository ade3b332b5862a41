package io.damselfly.benchmarks.net;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The largest CPU time seen per process, with the role it was first seen in; summed by role. */
final class CpuTimes {
  private record Seen(String role, long nanos) {}

  private final Map<Long, Seen> seen = new ConcurrentHashMap<>();

  /** Records {@code p}'s CPU time so far, when the OS reports it. */
  void record(ProcessHandle p, String role) {
    p.info().totalCpuDuration().map(Duration::toNanos).ifPresent(n -> record(p.pid(), role, n));
  }

  void record(long pid, String role, long nanos) {
    seen.merge(pid, new Seen(role, nanos), (a, b) -> new Seen(a.role(), Math.max(a.nanos(), b.nanos())));
  }

  /** Seconds by role, sorted by role. */
  Map<String, Double> byRole() {
    Map<String, Double> out = new TreeMap<>();
    seen.values().forEach(s -> out.merge(s.role(), s.nanos() / 1e9, Double::sum));
    return out;
  }
}
