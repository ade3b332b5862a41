package io.damselfly.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FluidBoundTest {
  private static final long MIB_128 = 128L << 20;
  private static final double RATE = 100e6 / 8;

  @Test
  void uniformCapsAreBoundByOneFileTimeWhateverN() {
    double one = MIB_128 / RATE;
    for (int n : new int[] {1, 2, 4, 16, 32}) {
      assertThat(FluidBound.uniform(MIB_128, n, RATE)).isCloseTo(one, within(1e-9));
    }
  }

  @Test
  void eachTermCanDominate() {
    // a slow source
    assertThat(FluidBound.seconds(1000, 2, 10, 1000, 1000)).isCloseTo(100, within(1e-9));
    // a slow downloader
    assertThat(FluidBound.seconds(1000, 2, 1000, 5, 1000)).isCloseTo(200, within(1e-9));
    // peers that barely upload: N*S over the total upload
    assertThat(FluidBound.seconds(1000, 10, 100, 1000, 0)).isCloseTo(100, within(1e-9));
    assertThat(FluidBound.seconds(1000, 10, 100, 1000, 100)).isCloseTo(50, within(1e-9));
  }

  @Test
  void efficiencyIsBoundOverLast() {
    assertThat(FluidBound.efficiency(10, 20)).isEqualTo(0.5);
    assertThat(FluidBound.efficiency(10, Double.NaN)).isNaN();
  }

  @Test
  void badInputNamesWhatWasExpected() {
    assertThatThrownBy(() -> FluidBound.seconds(0, 1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be > 0");
    assertThatThrownBy(() -> FluidBound.seconds(10, 1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sourceUp > 0");
    assertThatThrownBy(() -> FluidBound.seconds(10, 1, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peerUpSum >= 0");
  }
}
