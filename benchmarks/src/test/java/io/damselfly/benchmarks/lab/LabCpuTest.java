package io.damselfly.benchmarks.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CPU note of a run: seconds by role, their total, per host and per GiB delivered. */
class LabCpuTest {
  @Test
  void namesEveryRoleThenTheTotalPerHostAndPerGibDelivered() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("dfdaemon", 30.0);
    seconds.put("supernode", 6.0);
    // 4 hosts got 128 MiB each: half a GiB delivered
    assertThat(Lab.cpuByRole(seconds, 4, 4.0 * (128L << 20)))
        .isEqualTo("CPU seconds: dfdaemon 30.0, supernode 6.0; total 36.0 (9.00 per host), 72.0 per GiB delivered");
  }

  @Test
  void nothingMeasuredIsNoNote() {
    assertThat(Lab.cpuByRole(Map.of(), 4, 1 << 30)).isEmpty();
  }
}
