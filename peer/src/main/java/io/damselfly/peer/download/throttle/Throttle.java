package io.damselfly.peer.download.throttle;

import io.damselfly.transport.Pacer;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/** A byte-rate cap (token bucket from Bucket4j); {@link #NONE} lets everything through. */
public final class Throttle {
  /** No cap. */
  public static final Throttle NONE = new Throttle(0);
  /** Largest single acquisition ({@link Pacer#MAX_RESERVE}); callers split bigger reads. */
  public static final int CHUNK = Pacer.MAX_RESERVE;
  private final long bytesPerSecond;
  private final Bucket bucket;

  private Throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    if (bytesPerSecond <= 0) {
      this.bucket = null;
    } else {
      // Capacity of about 100 ms of traffic (at least one chunk) keeps bursts short.
      long capacity = Math.max(CHUNK, bytesPerSecond / 10);
      this.bucket = Bucket.builder()
          .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(bytesPerSecond, Duration.ofSeconds(1))
              .initialTokens(capacity).build())
          .build();
    }
  }

  /** A cap of {@code bytesPerSecond}, or {@link #NONE} for 0. */
  public static Throttle of(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0 bytes/s, got " + bytesPerSecond);
    }
    return bytesPerSecond == 0 ? NONE : new Throttle(bytesPerSecond);
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * Takes {@code bytes} (at most {@link #CHUNK}) from the budget at once, going into debt if need be, and
   * returns the nanoseconds the reader should pause before taking more (0 when within the budget).
   */
  public long reserve(int bytes) {
    if (bucket == null || bytes <= 0) {
      return 0;
    }
    return bucket.consumeIgnoringRateLimits(Math.min(bytes, CHUNK));
  }
}
