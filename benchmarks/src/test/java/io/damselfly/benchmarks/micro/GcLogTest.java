package io.damselfly.benchmarks.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {
  @Test
  void peakIsTheLargestHeapBeforeACollectionOrAtExit() {
    List<String> log = List.of(
        "[0.101s][info][gc] Using G1",
        "[1.234s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(128M) 3.123ms",
        "[2.345s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 41M->5M(128M) 2.001ms",
        "[3.000s][info][gc] GC(2) Pause Remark 7M->7M(128M) 1.000ms",
        "[9.000s][info][gc,heap,exit]  garbage-first heap   total reserved 131072K, committed 131072K, used 30720K");
    assertThat(GcLog.peakBytes(log)).hasValue(41L << 20);
    assertThat(GcLog.collections(log)).isEqualTo(3);
  }

  @Test
  void theExitSummaryCountsWhenNoCollectionRan() {
    List<String> log = List.of("[9.000s][info][gc,heap,exit]  garbage-first heap   total reserved 131072K, "
        + "committed 131072K, used 51200K");
    assertThat(GcLog.peakBytes(log)).hasValue(50L << 20);
    assertThat(GcLog.collections(log)).isZero();
    assertThat(GcLog.peakBytes(List.of("[0.1s][info][gc] Using G1"))).isEmpty();
  }
}
