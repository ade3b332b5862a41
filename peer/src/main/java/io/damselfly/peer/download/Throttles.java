package io.damselfly.peer.download;

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
    return bytes -> {
      local.acquire(bytes);
      total.get().acquire(bytes);
    };
  }

  /** Where a download's reader waits before taking {@code bytes} off the network. */
  @FunctionalInterface
  public interface Gate {
    void pass(int bytes) throws InterruptedException;
  }
}
