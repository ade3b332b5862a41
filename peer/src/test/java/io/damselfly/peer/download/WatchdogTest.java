package io.damselfly.peer.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private final Watchdog watchdog = new Watchdog();

  @AfterEach
  void stop() {
    watchdog.close();
    Thread.interrupted();
  }

  @Test
  void aGuardThatRunsOutInterruptsTheBlockedThread() {
    Watchdog.Guard guard = watchdog.guard(Duration.ofMillis(50));

    assertThatThrownBy(() -> new CountDownLatch(1).await()).isInstanceOf(InterruptedException.class);

    assertThat(guard.fired()).isTrue();
    guard.close();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void closingAFiredGuardClearsTheInterruptItCaused() {
    Watchdog.Guard guard = watchdog.guard(Duration.ofMillis(1));
    awaitFired(guard);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();

    guard.close();

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aClosedGuardNeverInterrupts() {
    Watchdog.Guard early = watchdog.guard(Duration.ofMillis(20));
    early.close();
    // deadlines run in order on one timer thread: when the later one fires, the earlier one is past
    Watchdog.Guard later = watchdog.guard(Duration.ofMillis(200));

    assertThatThrownBy(() -> new CountDownLatch(1).await()).isInstanceOf(InterruptedException.class);

    assertThat(later.fired()).isTrue();
    assertThat(early.fired()).isFalse();
    later.close();
  }

  @Test
  void aGuardInterruptsTheThreadThatTookItNotTheOneThatClosesIt() throws Exception {
    CountDownLatch taken = new CountDownLatch(1);
    Watchdog.Guard[] guard = new Watchdog.Guard[1];
    boolean[] interrupted = new boolean[1];
    Thread worker = Thread.ofVirtual().start(() -> {
      guard[0] = watchdog.guard(Duration.ofMillis(30));
      taken.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted[0] = true;
      }
    });
    taken.await();
    worker.join();

    assertThat(interrupted[0]).isTrue();
    assertThat(guard[0].fired()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  /**
   * Waits until the guard fired and its interrupt landed: the watchdog marks a guard fired just before
   * it interrupts (so a woken thread always sees why), hence both are awaited.
   */
  private static void awaitFired(Watchdog.Guard guard) {
    long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!guard.fired() || !Thread.currentThread().isInterrupted()) {
      if (System.nanoTime() - giveUp > 0) {
        throw new AssertionError("the guard never fired and interrupted");
      }
      Thread.onSpinWait();
    }
  }
}
