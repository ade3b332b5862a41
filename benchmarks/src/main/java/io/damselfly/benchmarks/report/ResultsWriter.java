package io.damselfly.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes a lab run's results directory: {@code runs.csv}, {@code hosts.csv}, {@code results.md} and the
 * PNG charts. Called after every N, so a run cut short keeps what it measured.
 */
public final class ResultsWriter {
  private final Path dir;
  private final List<String> header;

  /**
   * @param header markdown lines above the table (machine, network, file)
   */
  public ResultsWriter(Path dir, List<String> header) {
    this.dir = dir;
    this.header = List.copyOf(header);
  }

  public void write(List<RunResult> runs, List<String> damselflySystems, String baseline) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("runs.csv"), Tables.runsCsv(runs));
    Files.write(dir.resolve("hosts.csv"), Tables.hostsCsv(runs));
    List<String> md = new ArrayList<>(header);
    md.add("");
    md.addAll(Tables.markdown(runs));
    md.add("");
    List<String> notes = runs.stream().filter(r -> !r.note().isBlank())
        .map(r -> "- " + r.system() + ", N=" + r.n() + ": " + r.note()).toList();
    if (!notes.isEmpty()) {
      md.add("Notes:");
      md.add("");
      md.addAll(notes);
      md.add("");
    }
    List<String> targets = new ArrayList<>();
    for (String s : damselflySystems) {
      targets.addAll(Targets.check(runs, s, baseline));
    }
    if (!targets.isEmpty()) {
      md.add("Targets (reported, not asserted):");
      md.add("");
      md.addAll(targets);
      md.add("");
    }
    for (int n : new TreeSet<>(runs.stream().map(RunResult::n).toList())) {
      String png = "completion-n" + n + ".png";
      Charts.completion(runs.stream().filter(r -> r.n() == n).toList(), dir.resolve(png));
      md.add("![completion N=" + n + "](" + png + ")");
    }
    if (runs.stream().map(RunResult::n).distinct().count() > 1) {
      Charts.lastVsN(runs, dir.resolve("tlast-vs-n.png"));
      md.add("![T_last vs N](tlast-vs-n.png)");
    }
    Files.write(dir.resolve("results.md"), md);
  }
}
