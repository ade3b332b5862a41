package io.damselfly.peer.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link InstantSource} that moves only when a test says so; safe to read from any thread. */
public final class FakeClock implements InstantSource {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-06-01T12:00:00Z"));

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock on by {@code step}, which must not be negative. */
  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    now.updateAndGet(t -> t.plus(step));
  }
}
