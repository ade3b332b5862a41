package io.damselfly.supernode.scheduler;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.cdn.CdnTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of one task: its peers, who holds which piece, and the assignments handed out and not
 * reported yet (reserved with {@link #reserve}, given back with {@link #release}). Scheduler thread only.
 */
final class TaskState {
  /** The CDN's content version; replaced only when a failed fetch of the same version is retried. */
  CdnTask cdn;
  final Map<String, TaskPeer> peers = new LinkedHashMap<>();
  final List<Parked> parked = new ArrayList<>();
  /** The task's peers that upload, for sampling neighbors in O(1) per pick. */
  final List<TaskPeer> uploaders = new ArrayList<>();
  private int cdnInFlight;
  long scheduleRequests;
  private int[] holderCount = new int[64];
  private int[] pending = new int[64];
  private int[] pendingUploaders = new int[64];
  /** Per piece, the task's peers that hold it: records, not ids, so a probe costs no map lookup. */
  private final List<List<TaskPeer>> holders = new ArrayList<>();

  TaskState(CdnTask cdn) {
    this.cdn = cdn;
  }

  /** Assignments whose first source is the CDN and which are not reported yet. */
  int cdnInFlight() {
    return cdnInFlight;
  }

  /**
   * Counts an assignment of {@code piece} to {@code p} until {@link #release}: on its first source's uploads
   * ({@code source}, or the CDN when null), on the piece's pending assignments, and in {@code p}'s outstanding.
   */
  void reserve(TaskPeer p, int piece, PeerRecord source, Instant deadline) {
    String primary;
    if (source != null) {
      source.uploadsInFlight++;
      primary = source.address.peerId();
    } else {
      cdnInFlight++;
      primary = ProtocolV1.CDN_SOURCE;
    }
    boolean toUploader = p.peer.usableSource();
    addPending(piece, 1, toUploader);
    p.outstanding.put(piece, new TaskPeer.Outstanding(primary, deadline, toUploader));
  }

  /** Drops {@code p}'s outstanding assignment of {@code piece}, if any, and gives back what it reserved. */
  void release(TaskPeer p, int piece, java.util.Map<String, PeerRecord> peers) {
    TaskPeer.Outstanding o = p.outstanding.remove(piece);
    if (o == null) {
      return;
    }
    // as counted when assigned: the peer may have been isolated since, and a count left behind would keep
    // the piece from the CDN for good ("on its way to an uploader")
    addPending(piece, -1, o.toUploader());
    if (ProtocolV1.CDN_SOURCE.equals(o.primarySource())) {
      cdnInFlight--;
    } else {
      PeerRecord src = peers.get(o.primarySource());
      if (src != null && src.uploadsInFlight > 0) {
        src.uploadsInFlight--;
      }
    }
  }

  int holderCount(int piece) {
    return piece < holderCount.length ? holderCount[piece] : 0;
  }

  /** Assignments of {@code piece} handed out and not yet reported. */
  int pending(int piece) {
    return piece < pending.length ? pending[piece] : 0;
  }

  /** Of those, assignments to peers that will upload the piece on once they hold it. */
  int pendingToUploader(int piece) {
    return piece < pendingUploaders.length ? pendingUploaders[piece] : 0;
  }

  private void addPending(int piece, int delta, boolean uploader) {
    if (piece >= pending.length) {
      pending = Arrays.copyOf(pending, Math.max(piece + 1, pending.length * 2));
      pendingUploaders = Arrays.copyOf(pendingUploaders, pending.length);
    }
    pending[piece] = Math.max(0, pending[piece] + delta);
    if (uploader) {
      pendingUploaders[piece] = Math.max(0, pendingUploaders[piece] + delta);
    }
  }

  List<TaskPeer> holders(int piece) {
    return piece < holders.size() ? holders.get(piece) : List.of();
  }

  void addHolder(int piece, TaskPeer peer) {
    if (piece >= holderCount.length) {
      holderCount = Arrays.copyOf(holderCount, Math.max(piece + 1, holderCount.length * 2));
    }
    while (holders.size() <= piece) {
      holders.add(new ArrayList<>(2));
    }
    holderCount[piece]++;
    holders.get(piece).add(peer);
  }

  /** Forgets a peer's pieces; returns its task record, or null when it was not in this task. */
  TaskPeer removePeer(String peerId) {
    TaskPeer p = peers.remove(peerId);
    if (p != null) {
      uploaders.remove(p);
      for (int i = p.have.nextSetBit(0); i >= 0; i = p.have.nextSetBit(i + 1)) {
        holderCount[i]--;
        holders.get(i).remove(p);
      }
    }
    return p;
  }
}
