package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One check per key per interval, shared by every claim then; a bounded number of checks per reporter. */
class ClaimLimiterTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final ClaimLimiter<String> limiter = new ClaimLimiter<>(now::get, Duration.ofSeconds(10), 2);
  private final AtomicInteger checks = new AtomicInteger();

  private String claim(String key, String reporter) {
    return limiter.claim(key, reporter, () -> {
      checks.incrementAndGet();
      return CompletableFuture.completedFuture("checked " + key);
    }, "not checked").join();
  }

  @Test
  void aKeyIsCheckedOncePerIntervalWhoeverClaims() {
    assertThat(claim("p1", "a")).isEqualTo("checked p1");
    assertThat(claim("p1", "b")).isEqualTo("checked p1");
    assertThat(checks).hasValue(1);
    now.set(now.get().plusSeconds(10));
    assertThat(claim("p1", "b")).isEqualTo("checked p1");
    assertThat(checks).hasValue(2);
  }

  @Test
  void aReporterOverItsBudgetIsNotChecked() {
    assertThat(claim("p1", "liar")).isEqualTo("checked p1");
    assertThat(claim("p2", "liar")).isEqualTo("checked p2");
    assertThat(claim("p3", "liar")).isEqualTo("not checked");
    assertThat(claim("p3", "honest")).isEqualTo("checked p3");
    now.set(now.get().plusSeconds(10));
    assertThat(claim("p4", "liar")).as("a new interval, a new budget").isEqualTo("checked p4");
    assertThat(checks).hasValue(4);
  }
}
