package io.damselfly.benchmarks.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabConfigTest {
  @Test
  void ratesParseAsTcWritesThem() {
    assertThat(LabConfig.parseRate("--rate", "100mbit")).isEqualTo(100_000_000L);
    assertThat(LabConfig.parseRate("--rate", "1gbit")).isEqualTo(1_000_000_000L);
    assertThat(LabConfig.parseRate("--rate", "2.5Mbit")).isEqualTo(2_500_000L);
    assertThat(LabConfig.parseRate("--rate", "500kbit")).isEqualTo(500_000L);
    assertThat(LabConfig.parseRate("--rate", "64000")).isEqualTo(64_000L);
    assertThatThrownBy(() -> LabConfig.parseRate("--rate", "fast")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate must be a rate such as 100mbit");
  }

  @Test
  void configKnowsItsLargestNAndRate() {
    LabConfig c = new LabConfig(List.of(2, 16, 4), 1 << 20, 100_000_000, List.of("direct"), Path.of("out"), false, 1);
    assertThat(c.maxN()).isEqualTo(16);
    assertThat(c.rateBytes()).isEqualTo(12_500_000.0);
  }

  @Test
  void badConfigNamesTheArgument() {
    assertThatThrownBy(() -> new LabConfig(List.of(0), 1, 100_000_000, List.of("direct"), Path.of("o"), false, 1))
        .hasMessageContaining("hosts must be");
    assertThatThrownBy(() -> new LabConfig(List.of(2), 0, 100_000_000, List.of("direct"), Path.of("o"), false, 1))
        .hasMessageContaining("size must be");
    assertThatThrownBy(() -> new LabConfig(List.of(2), 1, 10, List.of("direct"), Path.of("o"), false, 1))
        .hasMessageContaining("rate must be");
    assertThatThrownBy(() -> new LabConfig(List.of(2), 1, 100_000_000, List.of("ftp"), Path.of("o"), false, 1))
        .hasMessageContaining("systems must be some of");
  }

  @Test
  void trackerScrapeEncodesTheInfoHash() {
    assertThat(BitTorrentSystem.urlEncodeHex("0aff")).isEqualTo("%0a%ff");
  }

  @Test
  void cpuBusyShareComesFromProcStatTicks() {
    long[] before = MachineInfo.ticks("cpu  100 0 100 700 100 0 0 0 0 0");
    long[] after = MachineInfo.ticks("cpu  400 0 200 800 100 0 0 0 0 0");
    assertThat(before).containsExactly(200, 1000);
    assertThat(MachineInfo.busy(before, after)).isEqualTo(0.8);
    assertThat(MachineInfo.busy(after, after)).isNaN();
  }

  @Test
  void niceComesFromTheStatLine() {
    String stat = "123 (java (lab) x) S 1 123 123 0 -1 4194560 100 0 0 0 5 6 0 0 30 -10 40 0 100 0";
    assertThat(MachineInfo.nice(stat)).isEqualTo("-10");
  }
}
