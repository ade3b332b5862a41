package io.damselfly.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * When the hosts of one run finished, in seconds from the common start; nearest-rank percentiles over the
 * hosts that finished. A host that did not finish counts in {@link #hosts()} but not in the times.
 *
 * @param hosts hosts in the run
 * @param finished hosts that finished
 * @param first the earliest finish
 * @param median the nearest-rank 50th percentile
 * @param p95 the nearest-rank 95th percentile
 * @param last the latest finish (NaN when a host did not finish: there is no last time then)
 */
public record Completion(int hosts, int finished, double first, double median, double p95, double last) {

  public Completion {
    if (hosts < 1 || finished < 0 || finished > hosts) {
      throw new IllegalArgumentException("hosts must be >= 1 and finished in [0, hosts], got hosts=" + hosts
          + " finished=" + finished);
    }
  }

  /** The summary of per-host finish times; NaN marks a host that did not finish. */
  public static Completion of(List<Double> seconds) {
    if (seconds == null || seconds.isEmpty()) {
      throw new IllegalArgumentException("seconds must hold one time per host, got none");
    }
    List<Double> done = new ArrayList<>();
    for (Double s : seconds) {
      if (s == null || s.isNaN()) {
        continue;
      }
      if (s < 0 || s.isInfinite()) {
        throw new IllegalArgumentException("finish times must be finite and >= 0 seconds, got " + s);
      }
      done.add(s);
    }
    done.sort(Double::compare);
    if (done.isEmpty()) {
      return new Completion(seconds.size(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    boolean all = done.size() == seconds.size();
    return new Completion(seconds.size(), done.size(), done.get(0), rank(done, 0.50), rank(done, 0.95),
        all ? done.get(done.size() - 1) : Double.NaN);
  }

  /** The nearest-rank percentile {@code p} (0 < p <= 1) of sorted values. */
  public static double rank(List<Double> sorted, double p) {
    if (sorted.isEmpty() || p <= 0 || p > 1) {
      throw new IllegalArgumentException("percentile needs values and p in (0, 1], got " + sorted.size()
          + " values and p=" + p);
    }
    int r = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(1, r) - 1);
  }

  public boolean allFinished() {
    return finished == hosts;
  }
}
