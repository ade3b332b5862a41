package io.damselfly.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ProgressEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RenderTest {
  private static final long MIB = 1 << 20;

  private static ProgressEvent event(ProgressEvent.Type type, long total, long peers, long cdn, long source, long millis) {
    return new ProgressEvent(type, "t", total, peers + cdn + source, peers, cdn, source, millis, null, 0);
  }

  @Test
  void summaryLineHasBytesTimeRateSharesAndOutput() {
    ProgressEvent done = event(ProgressEvent.Type.DONE, 64 * MIB, 71 * MIB * 64 / 100, 64 * MIB - 71 * MIB * 64 / 100, 0,
        3200);
    assertThat(Summary.line(done, Path.of("/data/out.bin"))).isEqualTo(
        "dfget: downloaded 64.0 MiB in 3.2 s (20.0 MiB/s): 71% from peers, 29% from supernode, 0% from origin"
            + " -> /data/out.bin");
  }

  @Test
  void summaryOfACopyTheNodeAlreadyHeld() {
    ProgressEvent done = event(ProgressEvent.Type.DONE, 10 * MIB, 0, 0, 0, 5);
    assertThat(Summary.line(done, Path.of("/o"))).contains("10.0 MiB").contains("already held by this host's node");
  }

  @Test
  void summaryOfAnEmptyFile() {
    assertThat(Summary.line(event(ProgressEvent.Type.DONE, 0, 0, 0, 0, 0), Path.of("/o")))
        .startsWith("dfget: downloaded 0 B in 0.0 s (0 B/s): 0% from peers");
  }

  @Test
  void sharesAlwaysSumTo100() {
    Shares s = Shares.of(event(ProgressEvent.Type.DONE, 3, 1, 1, 1, 1));
    assertThat(s.peers() + s.supernode() + s.origin()).isEqualTo(100);
    assertThat(Shares.of(event(ProgressEvent.Type.DONE, 1000, 994, 6, 0, 1))).isEqualTo(new Shares(99, 1, 0));
    assertThat(Shares.of(event(ProgressEvent.Type.DONE, 1000, 0, 0, 1000, 1))).isEqualTo(new Shares(0, 0, 100));
    assertThat(Shares.of(event(ProgressEvent.Type.DONE, 0, 0, 0, 0, 1)).none()).isTrue();
  }

  @Test
  void barWithKnownTotal() {
    ProgressEvent e = event(ProgressEvent.Type.PROGRESS, 100 * MIB, 30 * MIB, 15 * MIB, 0, 9000);
    assertThat(ProgressBar.render(e)).isEqualTo("[=============>                ]  45% 45.0 MiB/100.0 MiB  5.0 MiB/s"
        + "  ETA 0:11  peers 67% supernode 33% origin 0%");
  }

  @Test
  void barAtTheEndAndAtTheStart() {
    assertThat(ProgressBar.render(event(ProgressEvent.Type.DONE, 10, 0, 10, 0, 1000)))
        .startsWith("[==============================] 100% 10 B/10 B").contains("ETA 0:00");
    assertThat(ProgressBar.render(event(ProgressEvent.Type.PROGRESS, 10, 0, 0, 0, 0)))
        .startsWith("[>" + " ".repeat(29) + "]   0% 0 B/10 B  0 B/s  ETA --:--").doesNotContain("peers");
  }

  @Test
  void barWithoutTotalShowsBytesAndRate() {
    assertThat(ProgressBar.render(event(ProgressEvent.Type.PROGRESS, -1, 0, 0, 2 * MIB, 2000)))
        .isEqualTo("2.0 MiB  1.0 MiB/s  peers 0% supernode 0% origin 100%");
  }

  @Test
  void etaFormats() {
    assertThat(ProgressBar.eta(0, 0)).isEqualTo("0:00");
    assertThat(ProgressBar.eta(10, 0)).isEqualTo("--:--");
    assertThat(ProgressBar.eta(125, 1)).isEqualTo("2:05");
    assertThat(ProgressBar.eta(3 * 3600 + 61, 1)).isEqualTo("3:01:01");
  }

  @Test
  void redrawOverwritesTheLineInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    bar.update(event(ProgressEvent.Type.PROGRESS, -1, 0, 0, 123456789, 1000));
    bar.update(event(ProgressEvent.Type.PROGRESS, -1, 0, 0, 5, 1000));
    bar.finish();
    String out = bytes.toString(StandardCharsets.UTF_8);
    String[] draws = out.split("\r", -1);
    assertThat(draws).hasSize(3);
    assertThat(draws[2]).startsWith("5 B  5 B/s").endsWith(" " + System.lineSeparator());
    assertThat(draws[2].stripTrailing().length()).isLessThan(draws[1].length());
    assertThat(draws[2].length() - System.lineSeparator().length()).isEqualTo(draws[1].length());
  }
}
