package io.damselfly.benchmarks.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one {@code bin/lab cluster} run does.
 *
 * @param supernodes supernode processes sharing one Redis
 * @param peers simulated peers, arriving evenly over {@code ramp}
 * @param tasks files at the origin; peer {@code i} downloads file {@code i % tasks}
 * @param fileSize bytes of each file
 * @param want pieces a peer asks for per schedule request (its parallelism)
 * @param fetch how long a simulated peer takes to "fetch" one batch of assigned pieces
 * @param ramp the period over which peers arrive
 * @param killAt when, after the first arrival, one supernode is killed with SIGKILL
 * @param limit a download not finished this long after its peer arrived counts as failed
 * @param memberTtl the supernodes' {@code --member-ttl}
 * @param supernodeHeap each supernode's {@code -Xmx}
 * @param out results root; the run writes {@code <out>/<timestamp>/}
 */
record ScaleConfig(int supernodes, int peers, int tasks, long fileSize, int want, Duration fetch, Duration ramp,
    Duration killAt, Duration limit, int memberTtl, String supernodeHeap, Path out) {
  ScaleConfig {
    if (supernodes < 2) {
      throw new IllegalArgumentException("--supernodes must be >= 2 (one is killed), got " + supernodes);
    }
    if (peers < 1 || tasks < 1 || peers < tasks) {
      throw new IllegalArgumentException("--peers and --tasks must be >= 1 and peers >= tasks");
    }
    if (fileSize < 1 || want < 1) {
      throw new IllegalArgumentException("--size and --want must be >= 1");
    }
    if (fetch.isNegative() || ramp.isNegative() || killAt.isNegative() || !limit.isPositive()) {
      throw new IllegalArgumentException("durations must not be negative, --limit positive");
    }
    if (killAt.compareTo(ramp) > 0) {
      throw new IllegalArgumentException("--kill-at must lie within --ramp, so the kill happens under load");
    }
    if (memberTtl < 1) {
      throw new IllegalArgumentException("--member-ttl must be >= 1");
    }
    if (!supernodeHeap.matches("\\d+[kmgKMG]?")) {
      throw new IllegalArgumentException("--supernode-heap must be a JVM size such as 512m");
    }
  }
}
