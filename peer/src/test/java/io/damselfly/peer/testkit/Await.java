package io.damselfly.peer.testkit;

import java.util.concurrent.Callable;

/**
 * Waits for a condition that other threads make true. The bound only keeps a broken build from
 * hanging; no test asserts how fast anything happens.
 */
public final class Await {
  private static final long GIVE_UP_NANOS = 60_000_000_000L;

  private Await() {}

  /** Polls {@code condition} until it holds; fails naming {@code what} if it never does. */
  public static void until(String what, Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + GIVE_UP_NANOS;
    while (!condition.call()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("gave up waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
