package io.damselfly.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lab's results as CSV (one row per run, one per host) and as a markdown table. */
public final class Tables {
  public static final String RUNS_HEADER = "system,n,size_bytes,hosts_finished,t_first_s,t_median_s,t_p95_s,"
      + "t_last_s,t_star_s,efficiency,origin_bytes,origin_ratio,source_wire_bytes,sha256_ok,note";
  public static final String HOSTS_HEADER = "system,n,host,seconds,sha256_ok";

  private Tables() {}

  /** One CSV line per run, after {@link #RUNS_HEADER}. */
  public static List<String> runsCsv(List<RunResult> runs) {
    List<String> out = new ArrayList<>(List.of(RUNS_HEADER));
    for (RunResult r : runs) {
      Completion c = r.completion();
      out.add(String.join(",", csv(r.system()), Integer.toString(r.n()), Long.toString(r.size()),
          Integer.toString(c.finished()), num(c.first()), num(c.median()), num(c.p95()), num(c.last()),
          num(r.bound()), num(r.efficiency()), bytes(r.originBytes()), num(r.originRatio()),
          bytes(r.sourceWireBytes()), Boolean.toString(r.allDigestsMatch()), csv(r.note())));
    }
    return out;
  }

  /** One CSV line per host of every run, after {@link #HOSTS_HEADER}. */
  public static List<String> hostsCsv(List<RunResult> runs) {
    List<String> out = new ArrayList<>(List.of(HOSTS_HEADER));
    for (RunResult r : runs) {
      for (int i = 0; i < r.n(); i++) {
        out.add(String.join(",", csv(r.system()), Integer.toString(r.n()), Integer.toString(i + 1),
            num(r.hostSeconds().get(i)), Boolean.toString(r.digestOk().get(i))));
      }
    }
    return out;
  }

  /** A markdown table of the runs, one row each, in the order given. */
  public static List<String> markdown(List<RunResult> runs) {
    List<String> out = new ArrayList<>();
    out.add("| System | N | First (s) | Median (s) | p95 (s) | Last (s) | T* (s) | Efficiency | Origin sent | "
        + "SHA-256 |");
    out.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (RunResult r : runs) {
      Completion c = r.completion();
      String sha = r.allDigestsMatch() ? "all match"
          : (c.finished() + "/" + c.hosts() + " done, " + r.digestOk().stream().filter(b -> b).count() + " match");
      out.add("| " + r.system() + " | " + r.n() + " | " + md(c.first()) + " | " + md(c.median()) + " | "
          + md(c.p95()) + " | " + md(c.last()) + " | " + md(r.bound()) + " | " + md(r.efficiency()) + " | "
          + (r.originBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f x", r.originRatio())) + " | " + sha
          + " |");
    }
    return out;
  }

  static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String md(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String bytes(long v) {
    return v < 0 ? "" : Long.toString(v);
  }

  /** A CSV field: quoted when it holds a comma, quote or line break. */
  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
