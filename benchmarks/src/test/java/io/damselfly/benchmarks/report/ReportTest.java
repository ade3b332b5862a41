package io.damselfly.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final long SIZE = 1000;

  private static RunResult run(String system, int n, double last, long origin) {
    List<Double> times = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) {
      times.add(last * i / n);
    }
    return new RunResult(system, n, SIZE, times, java.util.Collections.nCopies(n, true), origin, origin + 10,
        10.0, "");
  }

  @Test
  void csvHasOneLinePerRunAndPerHostAndQuotesNotes() {
    RunResult noted = new RunResult("damselfly", 2, SIZE, List.of(5.0, Double.NaN), List.of(true, false), -1, -1,
        10.0, "host 2: dfget exited with code 1, \"boom\"");
    List<String> runs = Tables.runsCsv(List.of(run("direct", 2, 20, 2000), noted));
    assertThat(runs).hasSize(3);
    assertThat(runs.get(0)).isEqualTo(Tables.RUNS_HEADER);
    assertThat(runs.get(1)).isEqualTo("direct,2,1000,2,10.000,10.000,20.000,20.000,10.000,0.500,2000,2.000,2010,true,");
    assertThat(runs.get(2)).startsWith("damselfly,2,1000,1,5.000,5.000,5.000,,10.000,,,,,false,")
        .endsWith(",\"host 2: dfget exited with code 1, \"\"boom\"\"\"");
    List<String> hosts = Tables.hostsCsv(List.of(noted));
    assertThat(hosts).containsExactly(Tables.HOSTS_HEADER, "damselfly,2,1,5.000,true", "damselfly,2,2,,false");
  }

  @Test
  void markdownShowsMissingCopies() {
    RunResult bad = new RunResult("bittorrent", 2, SIZE, List.of(5.0, 6.0), List.of(true, false), 1000, -1, 10.0,
        "");
    List<String> md = Tables.markdown(List.of(run("direct", 2, 20, 2000), bad));
    assertThat(md).hasSize(4);
    assertThat(md.get(2)).startsWith("| direct | 2 | 10.00 | 10.00 | 20.00 | 20.00 | 10.00 | 0.50 |").contains("all match");
    assertThat(md.get(3)).contains("2/2 done, 1 match");
  }

  @Test
  void targetsAreReportedMetOrMissed() {
    List<RunResult> runs = List.of(run("bittorrent", 2, 14, 1100), run("damselfly", 2, 12, 1000),
        run("bittorrent", 16, 30, 1100), run("damselfly", 16, 40, 1050));
    List<String> lines = Targets.check(runs, "damselfly", "bittorrent");
    assertThat(lines).containsExactly(
        "- MISSED: damselfly efficiency at N=16: 0.25 (target >= 0.85)",
        "- met: damselfly T_last at N=2: 12.00 s vs bittorrent 14.00 s",
        "- MISSED: damselfly T_last at N=16: 40.00 s vs bittorrent 30.00 s",
        "- met: damselfly origin bytes at N=2: 1.00 x size (target <= 1.02)",
        "- MISSED: damselfly origin bytes at N=16: 1.05 x size (target <= 1.02)",
        "- MISSED: damselfly T_last(16) / T_last(2): 3.33 (target <= 1.3)");
    assertThat(Targets.check(runs, "damselfly-daemon", "bittorrent")).isEmpty();
  }

  @Test
  void writerLeavesTablesAndCharts(@TempDir Path dir) throws Exception {
    List<RunResult> runs = List.of(run("direct", 2, 20, 2000), run("damselfly", 2, 12, 1000),
        run("direct", 4, 40, 4000), run("damselfly", 4, 13, 1000));
    new ResultsWriter(dir, List.of("# test")).write(runs, List.of("damselfly"), "bittorrent");
    assertThat(Files.readAllLines(dir.resolve("runs.csv"))).hasSize(5);
    assertThat(Files.readAllLines(dir.resolve("hosts.csv"))).hasSize(1 + 2 + 2 + 4 + 4);
    assertThat(Files.readString(dir.resolve("results.md"))).startsWith("# test")
        .contains("![completion N=2](completion-n2.png)", "![T_last vs N](tlast-vs-n.png)");
    for (String png : List.of("completion-n2.png", "completion-n4.png", "tlast-vs-n.png")) {
      byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve(png)), 4);
      assertThat(head).as(png).containsExactly(0x89, 'P', 'N', 'G');
    }
  }
}
