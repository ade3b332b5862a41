package io.damselfly.benchmarks.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuTimesTest {
  @Test
  void keepsTheLargestSamplePerProcessAndItsFirstRole() {
    CpuTimes t = new CpuTimes();
    t.record(1, "dfget", 1_000_000_000L);
    t.record(1, "dfget", 3_000_000_000L);
    t.record(1, "other", 2_000_000_000L);
    t.record(2, "node", 500_000_000L);
    t.record(3, "node", 1_500_000_000L);
    assertThat(t.byRole()).isEqualTo(Map.of("dfget", 3.0, "node", 2.0));
  }

  @Test
  void aRealProcessReportsItsCpuTime() {
    CpuTimes t = new CpuTimes();
    t.record(ProcessHandle.current(), "self");
    assertThat(t.byRole().get("self")).isGreaterThan(0.0);
  }
}
