package io.damselfly.peer.download.throttle;

import io.damselfly.transport.Pacer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The caps one download's bytes pass: its own {@code --locallimit} and the host's {@code --totallimit},
 * shared by every download of this node (one node per host home, so the cap is host-wide).
 */
public final class Throttles {
  private final AtomicReference<Throttle> total;

  public Throttles(long totalBytesPerSecond) {
    this.total = new AtomicReference<>(Throttle.of(totalBytesPerSecond));
  }

  /** Sets the host cap when a download asks for one ({@code --totallimit}); the latest request wins. */
  public void requestTotal(long bytesPerSecond) {
    if (bytesPerSecond > 0 && total.get().bytesPerSecond() != bytesPerSecond) {
      total.set(Throttle.of(bytesPerSecond));
    }
  }

  public long totalBytesPerSecond() {
    return total.get().bytesPerSecond();
  }

  /** Passage for one download: its local cap first, then the host cap. */
  public Gate gate(long localBytesPerSecond) {
    Throttle local = Throttle.of(localBytesPerSecond);
    return bytes -> Math.max(local.reserve(bytes), total.get().reserve(bytes));
  }

  /**
   * Where a download's bytes are counted against its caps: {@link #reserve} for readers on an event loop
   * (they pause reading as told), {@link #pass} for blocking readers.
   */
  @FunctionalInterface
  public interface Gate extends Pacer {
    /** Blocks until {@code bytes} (at most {@link Throttle#CHUNK}) may pass. */
    default void pass(int bytes) throws InterruptedException {
      long pause = reserve(bytes);
      if (pause > 0) {
        Thread.sleep(java.time.Duration.ofNanos(pause));
      }
    }
  }
}
