package io.damselfly.supernode.scheduler;

import java.util.Collection;

/**
 * Counts of the scheduler's state at one tick, taken on the scheduler thread.
 *
 * @param tasks tasks the scheduler knows
 * @param activeTasks tasks with at least one peer
 * @param peersActive peers that may upload
 * @param peersIsolated peers no longer used as sources
 * @param parked schedule requests waiting for work
 * @param cdnUploadsInFlight pieces assigned to the CDN and not reported yet
 * @param peerUploadsInFlight pieces assigned to peers as first source and not reported yet
 */
public record SchedulerSnapshot(int tasks, int activeTasks, int peersActive, int peersIsolated, int parked,
    int cdnUploadsInFlight, int peerUploadsInFlight) {
  /** Before the first tick. */
  public static final SchedulerSnapshot EMPTY = new SchedulerSnapshot(0, 0, 0, 0, 0, 0, 0);

  /** Counts the scheduler's state: O(tasks + peers), on the scheduler thread. */
  static SchedulerSnapshot of(Collection<TaskState> tasks, Collection<PeerRecord> peers) {
    int active = 0;
    int parked = 0;
    int cdnInFlight = 0;
    for (TaskState t : tasks) {
      active += t.peers.isEmpty() ? 0 : 1;
      parked += t.parked.size();
      cdnInFlight += t.cdnInFlight();
    }
    int isolated = 0;
    int uploads = 0;
    for (PeerRecord r : peers) {
      isolated += r.status == PeerStatus.ISOLATED ? 1 : 0;
      uploads += r.uploadsInFlight;
    }
    return new SchedulerSnapshot(tasks.size(), active, peers.size() - isolated, isolated, parked, cdnInFlight, uploads);
  }
}
