package io.damselfly.peer.download.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Rate caps. A fresh bucket holds about 100 ms of traffic, so taking more than that must wait for
 * the refill: these tests assert only lower bounds on the time taken, never upper ones.
 */
class ThrottleTest {
  private static final int RATE = 1 << 20;

  @Test
  void zeroMeansNoCapAndNegativeIsRejected() {
    assertThat(Throttle.of(0)).isSameAs(Throttle.NONE);
    assertThat(Throttle.NONE.bytesPerSecond()).isZero();
    assertThat(Throttle.of(RATE).bytesPerSecond()).isEqualTo(RATE);
    assertThatThrownBy(() -> Throttle.of(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate must be >= 0")
        .hasMessageContaining("-1");
  }

  @Test
  void takingTwiceTheRateFromAFreshBucketWaitsForTheRefill() throws InterruptedException {
    Throttle t = Throttle.of(RATE);
    long took = timeToTake(bytes -> Thread.sleep(java.time.Duration.ofNanos(t.reserve(bytes))), 2L * RATE);
    // at most RATE / 10 bytes were there at the start; the rest arrive at RATE per second
    assertThat(took).isGreaterThanOrEqualTo(lowerBoundNanos(2L * RATE - RATE / 10, RATE));
  }

  @Test
  void theHostCapSlowsADownloadWithoutACapOfItsOwn() throws InterruptedException {
    Throttles throttles = new Throttles(RATE);
    Throttles.Gate gate = throttles.gate(0);
    long took = timeToTake(gate::pass, RATE / 10 + RATE / 2);
    assertThat(took).isGreaterThanOrEqualTo(lowerBoundNanos(RATE / 2, RATE));
  }

  @Test
  void theLocalCapSlowsADownloadWhenTheHostHasNone() throws InterruptedException {
    Throttles throttles = new Throttles(0);
    Throttles.Gate gate = throttles.gate(RATE);
    long took = timeToTake(gate::pass, RATE / 10 + RATE / 2);
    assertThat(took).isGreaterThanOrEqualTo(lowerBoundNanos(RATE / 2, RATE));
  }

  @Test
  void everyGateOfANodeSharesTheHostCap() throws InterruptedException {
    Throttles throttles = new Throttles(RATE);
    Throttles.Gate first = throttles.gate(0);
    Throttles.Gate second = throttles.gate(0);
    // the first download drains the shared bucket; the second must then wait for the refill
    timeToTake(first::pass, RATE / 10);
    long took = timeToTake(second::pass, RATE / 2);
    assertThat(took).isGreaterThanOrEqualTo(lowerBoundNanos(RATE / 2 - Throttle.CHUNK, RATE));
  }

  @Test
  void aRequestedHostCapReplacesTheNodeSettingAndZeroKeepsIt() {
    Throttles throttles = new Throttles(RATE);
    throttles.requestTotal(0);
    assertThat(throttles.totalBytesPerSecond()).isEqualTo(RATE);
    throttles.requestTotal(3 * RATE);
    assertThat(throttles.totalBytesPerSecond()).isEqualTo(3 * RATE);
  }

  @Test
  void aGateIsInterruptible() throws InterruptedException {
    Throttles.Gate gate = new Throttles(64 * 1024).gate(0);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> timeToTake(gate::pass, 4L * Throttle.CHUNK)).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
  }

  /** Nanoseconds {@code bytes} take to pass, offered in chunks as a network reader would. */
  private static long timeToTake(Take take, long bytes) throws InterruptedException {
    long start = System.nanoTime();
    for (long left = bytes; left > 0; ) {
      int n = (int) Math.min(Throttle.CHUNK, left);
      take.take(n);
      left -= n;
    }
    return System.nanoTime() - start;
  }

  /** 90% of the time {@code bytes} need at {@code rate}: slack for clock granularity only. */
  private static long lowerBoundNanos(long bytes, long rate) {
    return bytes * 900_000_000L / rate;
  }

  @FunctionalInterface
  private interface Take {
    void take(int bytes) throws InterruptedException;
  }
}
