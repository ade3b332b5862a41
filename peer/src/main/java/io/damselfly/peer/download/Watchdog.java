package io.damselfly.peer.download;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Interrupts a thread whose blocking work outlived its deadline (a download past
 * {@code --timeout}). Blocking HTTP body reads answer interruption, so this bounds every wait.
 */
public final class Watchdog implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("watchdog").daemon().factory());

  /** Interrupts the calling thread after {@code timeout} unless the returned guard is closed first. */
  public Guard guard(Duration timeout) {
    Thread thread = Thread.currentThread();
    AtomicBoolean fired = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    ScheduledFuture<?> f = timer.schedule(() -> {
      synchronized (closed) {
        if (!closed.get()) {
          fired.set(true);
          thread.interrupt();
        }
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return new Guard(f, fired, closed);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One deadline; closing it disarms the deadline and clears an interrupt it caused. */
  public static final class Guard implements AutoCloseable {
    private final ScheduledFuture<?> future;
    private final AtomicBoolean fired;
    private final AtomicBoolean closed;

    private Guard(ScheduledFuture<?> future, AtomicBoolean fired, AtomicBoolean closed) {
      this.future = future;
      this.fired = fired;
      this.closed = closed;
    }

    /** True when the deadline passed and the thread was interrupted for it. */
    public boolean fired() {
      return fired.get();
    }

    @Override
    public void close() {
      synchronized (closed) {
        closed.set(true);
      }
      future.cancel(false);
      if (fired.get()) {
        Thread.interrupted();
      }
    }
  }
}
