package io.damselfly.transport;

/**
 * Paces bytes read off the network without blocking: {@link #reserve} takes {@code bytes} from a rate
 * budget and says how long the reader should pause before reading more.
 */
@FunctionalInterface
public interface Pacer {
  /** No cap: never pauses. */
  Pacer NONE = bytes -> 0;

  /** Takes {@code bytes} (at most 64 KiB at a time) from the budget; returns the pause due, in nanoseconds. */
  long reserve(int bytes);
}
