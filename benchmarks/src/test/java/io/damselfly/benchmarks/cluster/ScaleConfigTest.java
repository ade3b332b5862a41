package io.damselfly.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleConfigTest {
  private static ScaleConfig config(int supernodes, int peers, int tasks, long killAt, long ramp) {
    return new ScaleConfig(supernodes, peers, tasks, 2 << 20, 4, Duration.ofMillis(200), Duration.ofSeconds(ramp),
        Duration.ofSeconds(killAt), Duration.ofSeconds(120), 10, "512m", Path.of("out"));
  }

  @Test
  void theDefaultsAreValid() {
    assertThat(config(3, 10_000, 200, 30, 60).peers()).isEqualTo(10_000);
  }

  @Test
  void oneSupernodeLeavesNothingToFailOverTo() {
    assertThatThrownBy(() -> config(1, 100, 10, 30, 60)).hasMessageContaining("--supernodes");
  }

  @Test
  void fewerPeersThanTasksWouldLeaveTasksUnrequested() {
    assertThatThrownBy(() -> config(3, 10, 200, 30, 60)).hasMessageContaining("peers >= tasks");
  }

  @Test
  void theKillMustHappenWhilePeersStillArrive() {
    assertThatThrownBy(() -> config(3, 1000, 10, 90, 60)).hasMessageContaining("--kill-at");
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    assertThat(ScaleReport.pct(sorted, 0.5)).isEqualTo(50);
    assertThat(ScaleReport.pct(sorted, 0.99)).isEqualTo(100);
    assertThat(ScaleReport.pct(sorted, 1.0)).isEqualTo(100);
    assertThat(ScaleReport.pct(new long[0], 0.5)).isEqualTo(-1);
  }
}
