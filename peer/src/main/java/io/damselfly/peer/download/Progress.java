package io.damselfly.peer.download;

import io.damselfly.protocol.ProgressEvent;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one download, read by the progress stream while pieces arrive. */
public final class Progress {
  public final AtomicLong fromPeers = new AtomicLong();
  public final AtomicLong fromCdn = new AtomicLong();
  public final AtomicLong fromSource = new AtomicLong();
  private final long startNanos = System.nanoTime();
  public volatile long total = -1;
  volatile String taskId;

  long done() {
    return fromPeers.get() + fromCdn.get() + fromSource.get();
  }

  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  ProgressEvent event(ProgressEvent.Type type, String message, int exitCode) {
    return new ProgressEvent(type, taskId, total, done(), fromPeers.get(), fromCdn.get(), fromSource.get(),
        elapsedMillis(), message, exitCode);
  }

  void reset() {
    fromPeers.set(0);
    fromCdn.set(0);
    fromSource.set(0);
  }
}
