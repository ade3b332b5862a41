package io.damselfly.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many piece uploads one server sends at once. A peer that every downloader wants (it holds the newest
 * pieces) would otherwise split its link among them all, and each piece would reach its next holder late; past
 * the bound it answers {@link io.damselfly.protocol.ErrorCode#BUSY} at once and the downloader asks another
 * source. Thread-safe.
 */
public final class UploadSlots {
  /** No bound (the supernode's CDN, whose uploads its scheduler bounds). */
  public static final UploadSlots UNBOUNDED = new UploadSlots(Integer.MAX_VALUE);
  private final int max;
  private final AtomicInteger inUse = new AtomicInteger();

  /** @param max uploads at once, at least 1 */
  public UploadSlots(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("upload slots must be >= 1, got " + max);
    }
    this.max = max;
  }

  /** Takes a slot, or returns false when all are in use. */
  boolean tryTake() {
    while (true) {
      int n = inUse.get();
      if (n >= max) {
        return false;
      }
      if (inUse.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken by {@link #tryTake}. */
  void give() {
    inUse.decrementAndGet();
  }

  /** Uploads in progress now. */
  public int inUse() {
    return inUse.get();
  }

  public int max() {
    return max;
  }
}
