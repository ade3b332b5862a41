package io.damselfly.transport;

/**
 * Paces bytes read off the network without blocking: {@link #reserve} takes {@code bytes} from a rate
 * budget and says how long the reader should pause before reading more.
 */
@FunctionalInterface
public interface Pacer {
  /** The most bytes one {@link #reserve} takes; readers split bigger reads. */
  int MAX_RESERVE = 64 * 1024;

  /** No cap: never pauses. */
  Pacer NONE = bytes -> 0;

  /** Takes {@code bytes} (at most {@link #MAX_RESERVE}) from the budget; returns the pause due, in nanoseconds. */
  long reserve(int bytes);
}
