package io.damselfly.benchmarks.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When each of N hosts finished, in seconds from one start instant: from a client process's exit (code 0 =
 * finished, anything else = failed) or from a wall-clock timestamp the host wrote (BitTorrent's hook).
 */
final class Finishes {
  private static final long POLL_MILLIS = 100;
  private final long startNanos = System.nanoTime();
  private final long startEpochNanos = epochNanos(Instant.now());
  private final double[] seconds;
  private final Map<Integer, String> failures = new TreeMap<>();

  Finishes(int n) {
    seconds = new double[n];
    Arrays.fill(seconds, Double.NaN);
  }

  /** Host {@code i} finishes when {@code p} exits with code 0, fails with any other code. */
  void watch(int i, Process p, String what) {
    p.onExit().thenAccept(done -> {
      long now = System.nanoTime();
      synchronized (this) {
        if (done.exitValue() == 0) {
          seconds[i] = (now - startNanos) / 1e9;
        } else {
          failures.put(i, what + " exited with code " + done.exitValue());
        }
        notifyAll();
      }
    });
  }

  /** Host {@code i} finished at the wall-clock instant {@code epochNanos} (nanoseconds since 1970). */
  synchronized void finishedAt(int i, long epochNanos) {
    if (Double.isNaN(seconds[i])) {
      seconds[i] = Math.max(0, (epochNanos - startEpochNanos) / 1e9);
      notifyAll();
    }
  }

  /** Host {@code i} failed, unless it finished before. */
  synchronized void fail(int i, String why) {
    if (!Double.isNaN(seconds[i])) {
      return;
    }
    failures.putIfAbsent(i, why);
    notifyAll();
  }

  synchronized boolean finished(int i) {
    return !Double.isNaN(seconds[i]);
  }

  /**
   * Waits until every host finished or failed, calling {@code poll} every 100 ms (it may call
   * {@link #finishedAt}); returns false when {@code limit} ran out first.
   */
  boolean await(Duration limit, Runnable poll) throws InterruptedException {
    long end = startNanos + limit.toNanos();
    while (true) {
      poll.run();
      synchronized (this) {
        if (settled()) {
          return true;
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
      }
    }
  }

  private boolean settled() {
    for (int i = 0; i < seconds.length; i++) {
      if (Double.isNaN(seconds[i]) && !failures.containsKey(i)) {
        return false;
      }
    }
    return true;
  }

  synchronized List<Double> seconds() {
    List<Double> out = new ArrayList<>();
    for (double s : seconds) {
      out.add(s);
    }
    return out;
  }

  /** What went wrong, host by host (1-based), or an empty string. */
  synchronized String failures() {
    List<String> out = new ArrayList<>();
    failures.forEach((i, why) -> out.add("host " + (i + 1) + ": " + why));
    for (int i = 0; i < seconds.length; i++) {
      if (Double.isNaN(seconds[i]) && !failures.containsKey(i)) {
        out.add("host " + (i + 1) + ": not finished in time");
      }
    }
    return String.join("; ", out);
  }

  static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

}
