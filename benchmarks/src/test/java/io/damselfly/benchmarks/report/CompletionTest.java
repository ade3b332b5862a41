package io.damselfly.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionTest {
  @Test
  void summarisesFinishTimesWithNearestRankPercentiles() {
    List<Double> times = new ArrayList<>();
    for (int i = 20; i >= 1; i--) {
      times.add((double) i);
    }
    Completion c = Completion.of(times);
    assertThat(c.hosts()).isEqualTo(20);
    assertThat(c.finished()).isEqualTo(20);
    assertThat(c.first()).isEqualTo(1);
    assertThat(c.median()).isEqualTo(10);
    assertThat(c.p95()).isEqualTo(19);
    assertThat(c.last()).isEqualTo(20);
    assertThat(c.allFinished()).isTrue();
  }

  @Test
  void aHostThatDidNotFinishLeavesNoLastTime() {
    Completion c = Completion.of(List.of(3.0, Double.NaN, 1.0));
    assertThat(c.finished()).isEqualTo(2);
    assertThat(c.first()).isEqualTo(1);
    assertThat(c.median()).isEqualTo(1);
    assertThat(c.last()).isNaN();
    assertThat(c.allFinished()).isFalse();
    assertThat(Completion.of(List.of(Double.NaN)).median()).isNaN();
  }

  @Test
  void rankOfTwoValues() {
    assertThat(Completion.rank(List.of(1.0, 2.0), 0.5)).isEqualTo(1.0);
    assertThat(Completion.rank(List.of(1.0, 2.0), 0.95)).isEqualTo(2.0);
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> Completion.of(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one time per host");
    assertThatThrownBy(() -> Completion.of(List.of(-1.0))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0 seconds");
    assertThatThrownBy(() -> Completion.rank(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p in (0, 1]");
  }
}
