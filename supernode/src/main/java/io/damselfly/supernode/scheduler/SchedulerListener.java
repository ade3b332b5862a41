package io.damselfly.supernode.scheduler;

import io.damselfly.supernode.cdn.CdnTask;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;

/**
 * What the scheduler tells observers (metrics, the dashboard, task summaries). Every call is made on the
 * scheduler thread, so an implementation must be quick, must not block and must never call back into the
 * scheduler; it publishes what it learns through thread-safe fields for other threads to read.
 */
public interface SchedulerListener {
  /** Observes nothing. */
  SchedulerListener NONE = new SchedulerListener() {};

  /** A peer asked for work (and reported what it fetched). */
  default void scheduleRequest(CdnTask task) {}

  /** Assignments were handed out: {@code fromCdn} with the CDN as first source, {@code fromPeers} with a peer. */
  default void assigned(CdnTask task, int fromCdn, int fromPeers) {}

  /** A schedule request found no work and waits (long poll) until some appears. */
  default void parked(CdnTask task) {}

  /**
   * A peer reported a verified piece.
   *
   * @param latency from the assignment to the report, or null when the piece was not assigned (a neighbor's)
   */
  default void pieceDone(CdnTask task, boolean fromCdn, int bytes, Duration latency) {}

  /** A peer joined a task. */
  default void peerJoined(CdnTask task, String peerId) {}

  /** A peer became a bad source. */
  default void peerIsolated(String peerId) {}

  /**
   * A peer left a task or expired; {@code have} is a copy of the pieces it held.
   *
   * @param reason {@code left} or {@code expired}
   * @param peersLeft peers still in the task
   */
  default void peerLeft(CdnTask task, String peerId, BitSet have, String reason, int peersLeft) {}

  /** The scheduler's counts, published on every tick (about every 100 ms). */
  default void tick(Instant now, SchedulerSnapshot snapshot) {}
}
