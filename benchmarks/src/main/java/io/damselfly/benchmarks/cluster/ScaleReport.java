package io.damselfly.benchmarks.cluster;

import io.damselfly.benchmarks.lab.MachineInfo;
import io.damselfly.common.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The figures of one run: printed, and written as results.md, summary.csv, tasks.csv and timeline.csv. */
final class ScaleReport {
  /** Seconds on each side of the kill over which requests per second are averaged. */
  static final int WINDOW = 10;

  private ScaleReport() {}

  static List<String> write(ScaleConfig config, ScaleRun.Result r, List<String> machine, Path dir) throws IOException {
    Recorder rec = r.recorder();
    long kill = rec.killMillis();
    List<String> perTask = new ArrayList<>(List.of("task,owner_before_kill,killed_owner,"
        + "first_request_after_kill_ms,first_assignment_after_kill_ms,origin_requests,origin_copies"));
    List<Long> times = new ArrayList<>();
    List<Long> waits = new ArrayList<>();
    int victimTasks = 0;
    for (int t = 0; t < rec.tasks(); t++) {
      boolean killedOwner = r.victim().equals(rec.ownerBeforeKill(t));
      long first = rec.firstAssignedAfterKill(t);
      long asked = rec.firstAskedAfterKill(t);
      perTask.add(String.format(Locale.ROOT, "%d,%s,%b,%s,%s,%d,%.3f", t, rec.ownerBeforeKill(t), killedOwner,
          asked < 0 ? "" : Long.toString(asked - kill), first < 0 ? "" : Long.toString(first - kill),
          r.originRequests()[t], r.originCopies()[t]));
      if (killedOwner) {
        victimTasks++;
        if (first >= 0) {
          times.add(first - kill);
          waits.add(first - Math.max(kill, asked < 0 ? kill : asked));
        }
      }
    }
    long[] recovered = times.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] waited = waits.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] downloads = new long[rec.peers()];
    int n = 0;
    for (int p = 0; p < rec.peers(); p++) {
      if (rec.downloadMillis(p) >= 0) {
        downloads[n++] = rec.downloadMillis(p);
      }
    }
    downloads = Arrays.copyOf(downloads, n);
    Arrays.sort(downloads);
    int killSecond = (int) (kill / 1000);
    double before = rate(rec, killSecond - WINDOW, killSecond - 1, false);
    double beforeOk = rate(rec, killSecond - WINDOW, killSecond - 1, true);
    double after = rate(rec, killSecond + 1, killSecond + WINDOW, false);
    double afterOk = rate(rec, killSecond + 1, killSecond + WINDOW, true);
    int maxOriginRequests = Arrays.stream(r.originRequests()).max().orElse(0);
    double maxCopies = Arrays.stream(r.originCopies()).max().orElse(0);
    long tasksOver1 = Arrays.stream(r.originRequests()).filter(x -> x != 1).count();

    List<String> md = new ArrayList<>();
    md.add("# Supernode cluster: one of " + config.supernodes() + " supernodes killed under load");
    md.add("");
    md.add(String.format(Locale.ROOT, "%d simulated peers over %d tasks (files of %s, %s pieces asked at a time, "
        + "%d ms per batch), arriving over %d s; supernode %s killed with SIGKILL at %.1f s. Run took %.1f s.",
        config.peers(), config.tasks(), ByteSize.format(config.fileSize()), config.want(), config.fetch().toMillis(),
        config.ramp().toSeconds(), r.victim(), kill / 1000.0, r.seconds()));
    md.add("");
    md.add("| Figure | Value |");
    md.add("|---|---:|");
    md.add(row("Tasks of the killed supernode", Integer.toString(victimTasks)));
    md.add(row("Served again (first assignment after the kill)", times.size() + " of " + victimTasks));
    md.add(row("Time until served again: median", ms(pct(recovered, 0.5))));
    md.add(row("Time until served again: p99", ms(pct(recovered, 0.99))));
    md.add(row("Time until served again: max", ms(pct(recovered, 1.0))));
    md.add(row("From a peer's first request after the kill to that assignment: median / p99 / max",
        ms(pct(waited, 0.5)) + " / " + ms(pct(waited, 0.99)) + " / " + ms(pct(waited, 1.0))));
    md.add(row("Downloads finished", rec.finished() + " of " + config.peers()));
    md.add(row("Failed downloads", Integer.toString(rec.failures().size())));
    md.add(row("Download time: median / p99 / max", ms(pct(downloads, 0.5)) + " / " + ms(pct(downloads, 0.99))
        + " / " + ms(pct(downloads, 1.0))));
    md.add(row("Requests/s, " + WINDOW + " s before the kill (all / answered)", fmt(before) + " / " + fmt(beforeOk)));
    md.add(row("Requests/s, " + WINDOW + " s after the kill (all / answered)", fmt(after) + " / " + fmt(afterOk)));
    md.add(row("Failovers (re-registrations) by cause", rec.failoverCauses().toString()));
    md.add(row("Origin requests per task: max (tasks with other than 1)", maxOriginRequests + " (" + tasksOver1 + ")"));
    md.add(row("Origin body bytes per task, in file copies: max", String.format(Locale.ROOT, "%.2f", maxCopies)));
    md.add(row("Piece bytes takeovers read from peers", ByteSize.format(r.takeoverBytes()) + " in "
        + r.takeoverRequests() + " requests"));
    md.add(row("CPU seconds by process (sampled)", r.cpuSeconds().toString()));
    md.add("");
    md.add("\"Answered\" counts answers from a supernode (2xx and 421 NOT_OWNER); \"all\" adds refused connections "
        + "and error answers. Machine:");
    md.add("");
    md.addAll(machine);
    if (!rec.failures().isEmpty()) {
      md.add("");
      md.add("Failed downloads (first 20):");
      rec.failures().stream().limit(20).forEach(f -> md.add("- " + f));
    }
    Files.write(dir.resolve("results.md"), md);
    Files.write(dir.resolve("tasks.csv"), perTask);
    Files.write(dir.resolve("summary.csv"), List.of(
        "supernodes,peers,tasks,file_bytes,victim_tasks,served_again,recovery_p50_ms,recovery_p99_ms,recovery_max_ms,"
            + "wait_p50_ms,wait_p99_ms,wait_max_ms,"
            + "failed_downloads,rps_before,rps_after,answered_rps_before,answered_rps_after,max_origin_requests,"
            + "max_origin_copies",
        String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%d,%.3f",
            config.supernodes(), config.peers(), config.tasks(), config.fileSize(), victimTasks, times.size(),
            pct(recovered, 0.5), pct(recovered, 0.99), pct(recovered, 1.0), pct(waited, 0.5), pct(waited, 0.99),
            pct(waited, 1.0), rec.failures().size(), before, after, beforeOk, afterOk,
            maxOriginRequests, maxCopies)));
    List<String> timeline = new ArrayList<>(List.of("second,requests,errors,assignments"));
    int end = (int) Math.min(Recorder.SECONDS - 1, r.seconds() + 1);
    for (int s = 0; s <= end; s++) {
      timeline.add(s + "," + rec.answers(s) + "," + rec.errors(s) + "," + rec.assignments(s));
    }
    Files.write(dir.resolve("timeline.csv"), timeline);
    return md;
  }

  private static double rate(Recorder rec, int from, int to, boolean answeredOnly) {
    long sum = 0;
    int seconds = 0;
    for (int s = Math.max(0, from); s <= to; s++) {
      sum += rec.answers(s) - (answeredOnly ? rec.errors(s) : 0);
      seconds++;
    }
    return seconds == 0 ? Double.NaN : sum / (double) seconds;
  }

  /** Nearest-rank percentile of sorted values; -1 when empty. */
  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.max(1, (int) Math.ceil(p * sorted.length)) - 1];
  }

  private static String ms(long millis) {
    return millis < 0 ? "n/a" : millis + " ms";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String row(String name, String value) {
    return "| " + name + " | " + value + " |";
  }
}
