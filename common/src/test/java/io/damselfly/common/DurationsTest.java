package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One grammar for every duration of flags and config files. */
class DurationsTest {

  @Test
  void secondsUnitsAndIsoFormsAllParse() {
    assertThat(Durations.parse("--timeout", "30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("--timeout", "1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("--timeout", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("--timeout", "60s")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("--timeout", " 5M ")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("--timeout", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("accessTtl", "PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.parse("accessTtl", "pt90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("accessTtl", "P1D")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void anythingElseNamesTheSettingAndTheGrammar() {
    for (String bad : new String[] {"", "abc", "5d", "-1s", "1.5.5s", "Pxyz", null}) {
      assertThatThrownBy(() -> Durations.parse("taskTtl", bad)).as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("taskTtl must be a number of seconds or a duration such as 500ms");
    }
  }
}
