package io.damselfly.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The lab's targets for a Damselfly system, checked against the runs (reported, not asserted): efficiency
 * at N=16 >= 0.85; T_last below BitTorrent's at every N; origin bytes <= 1.02 x size; T_last(16) / T_last(2)
 * <= 1.3.
 */
public final class Targets {
  public static final double EFFICIENCY = 0.85;
  public static final double ORIGIN_RATIO = 1.02;
  public static final double SCALING = 1.3;
  private static final int BIG_N = 16;
  private static final int SMALL_N = 2;

  private Targets() {}

  /** Markdown bullet lines, "met" or "MISSED" first, for {@code system} against {@code baseline}. */
  public static List<String> check(List<RunResult> runs, String system, String baseline) {
    List<String> out = new ArrayList<>();
    List<RunResult> mine = runs.stream().filter(r -> r.system().equals(system)).toList();
    if (mine.isEmpty()) {
      return out;
    }
    find(mine, BIG_N).ifPresent(r -> out.add(line(r.efficiency() >= EFFICIENCY, "%s efficiency at N=16: %s (target "
        + ">= %.2f)", system, fmt(r.efficiency()), EFFICIENCY)));
    for (RunResult r : mine) {
      find(runs.stream().filter(b -> b.system().equals(baseline)).toList(), r.n()).ifPresent(b -> {
        double a = r.completion().last();
        double c = b.completion().last();
        boolean met = !Double.isNaN(a) && (Double.isNaN(c) || a < c);
        out.add(line(met, "%s T_last at N=%d: %s s vs %s %s s", system, r.n(), fmt(a), baseline, fmt(c)));
      });
    }
    for (RunResult r : mine) {
      double ratio = r.originRatio();
      out.add(line(!Double.isNaN(ratio) && ratio <= ORIGIN_RATIO, "%s origin bytes at N=%d: %s x size (target "
          + "<= %.2f)", system, r.n(), fmt(ratio), ORIGIN_RATIO));
    }
    Optional<RunResult> big = find(mine, BIG_N);
    Optional<RunResult> small = find(mine, SMALL_N);
    if (big.isPresent() && small.isPresent()) {
      double q = big.get().completion().last() / small.get().completion().last();
      out.add(line(q <= SCALING, "%s T_last(16) / T_last(2): %s (target <= %.1f)", system, fmt(q), SCALING));
    }
    return out;
  }

  private static Optional<RunResult> find(List<RunResult> runs, int n) {
    return runs.stream().filter(r -> r.n() == n).findFirst();
  }

  private static String line(boolean met, String format, Object... args) {
    return "- " + (met ? "met" : "MISSED") + ": " + String.format(Locale.ROOT, format, args);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }
}
