package io.damselfly.supernode.scheduler;

import io.damselfly.common.PieceLayout;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scheduling policy: rarest pieces first, peers before the CDN once they hold a piece, least
 * loaded peer first, bounded concurrent uploads per peer and for the CDN. Pure decisions on the
 * scheduler thread's state; work per call is O(stored pieces + checked holders), never peers × pieces.
 */
final class Assigner {
  /** Holders looked at per piece, so a piece held by thousands costs the same as one held by ten. */
  private static final int HOLDER_PROBES = 32;
  private static final int MAX_PEER_SOURCES = 3;
  /** Neighbors named per answer. */
  static final int NEIGHBORS = 8;

  private final int maxUploadsPerPeer;
  private final int maxCdnUploads;

  Assigner(int maxUploadsPerPeer, int maxCdnUploads) {
    this.maxUploadsPerPeer = maxUploadsPerPeer;
    this.maxCdnUploads = maxCdnUploads;
  }

  List<Assignment> assign(TaskState t, TaskPeer p, int want, Source cdn, Instant deadline) {
    int stored = t.cdn.storedPieces();
    if (want <= 0 || stored == 0) {
      return List.of();
    }
    int rotation = Math.floorMod(p.peer.address.peerId().hashCode(), stored);
    long[] heap = candidates(t, p, stored, rotation);
    int size = heap.length;
    heapify(heap, size);
    List<Assignment> out = new ArrayList<>(Math.min(want, size));
    // Pieces a free peer holds, and pieces only the CDN has that nobody is fetching yet. A piece on its
    // way to another uploading peer, or whose holders are all busy, is left for them: a second CDN
    // upload of it is waste. With nothing to assign, the request parks until a report frees a source.
    // The candidates are taken from a heap, rarest first: O(stored) to build, O(log stored) per piece
    // looked at, instead of sorting every candidate for the few a request wants.
    while (out.size() < want && size > 0) {
      long key = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, 0, size);
      int piece = (int) (((key & 0xffffffffL) + rotation) % stored);
      if (t.cdn.withheld(piece) && !p.peer.address.uploads()) {
        continue; // a peer that does not upload (pattern cdn) takes pieces from the CDN only: it waits for the repair
      }
      List<PeerRecord> sources = peerSources(t, piece, p);
      if (sources.isEmpty() && (t.cdn.withheld(piece) || t.pendingToUploader(piece) > 0
          || hasUsableHolder(t, piece, p))) {
        continue; // a damaged CDN piece is served by its holders only, until it is repaired
      }
      add(t, p, piece, sources, cdn, deadline, out);
    }
    return out;
  }

  private void add(TaskState t, TaskPeer p, int piece, List<PeerRecord> sources, Source cdn, Instant deadline,
      List<Assignment> out) {
    List<Source> list = new ArrayList<>(sources.size() + 1);
    if (sources.isEmpty() && t.cdnInFlight() >= maxCdnUploads) {
      return;
    }
    for (PeerRecord r : sources) {
      list.add(new Source(r.address.peerId(), r.address.host(), r.address.port()));
    }
    if (sources.isEmpty() || !t.cdn.withheld(piece)) {
      list.add(cdn);
    }
    t.reserve(p, piece, sources.isEmpty() ? null : sources.get(0), deadline);
    out.add(new Assignment(piece, offset(t, piece), length(t, piece), t.cdn.digest(piece), list));
  }

  /**
   * A piece {@code p} still needs that no source can give (the CDN's copy is damaged and its repair failed,
   * and {@code p} takes pieces from the CDN only, or no usable peer holds it and none is on its way to an
   * uploader), or -1. O(lost pieces × probes).
   */
  int unavailable(TaskState t, TaskPeer p) {
    java.util.BitSet lost = t.cdn.lostPieces();
    for (int piece = lost.nextSetBit(0); piece >= 0; piece = lost.nextSetBit(piece + 1)) {
      if (!p.have.get(piece) && (!p.peer.address.uploads()
          || (t.pendingToUploader(piece) == 0 && !hasUsableHolder(t, piece, p)))) {
        return piece;
      }
    }
    return -1;
  }

  private static boolean hasUsableHolder(TaskState t, int piece, TaskPeer self) {
    List<TaskPeer> holders = t.holders(piece);
    for (int k = 0; k < Math.min(holders.size(), HOLDER_PROBES); k++) {
      PeerRecord r = holders.get(k).peer;
      if (r != self.peer && r.usableSource()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Up to {@link #NEIGHBORS} uploading peers of the task other than {@code self}, sampled from a per-peer
   * rotation so different peers learn different neighbors. The sample depends on the peer and the task's
   * uploaders only, not on the peer's progress or the neighbors' load, so a peer is named the same neighbors
   * answer after answer (it keeps watching their piece maps instead of starting over). O(probes).
   */
  List<Source> neighbors(TaskState t, TaskPeer self) {
    int n = t.uploaders.size();
    if (n == 0) {
      return List.of();
    }
    int start = Math.floorMod(self.peer.address.peerId().hashCode(), n);
    List<Source> out = new ArrayList<>(Math.min(NEIGHBORS, n));
    for (int k = 0; k < Math.min(n, HOLDER_PROBES) && out.size() < NEIGHBORS; k++) {
      PeerRecord r = t.uploaders.get((start + k) % n).peer;
      if (r != self.peer && r.usableSource()) {
        out.add(new Source(r.address.peerId(), r.address.host(), r.address.port()));
      }
    }
    return out;
  }

  /** Keys of the missing, unassigned stored pieces (rarity, then the peer's rotation), unordered. */
  private static long[] candidates(TaskState t, TaskPeer p, int stored, int rotation) {
    long[] keys = new long[stored];
    int n = 0;
    for (int i = 0; i < stored; i++) {
      if (!p.have.get(i) && !p.outstanding.containsKey(i)) {
        // Rarity: copies held plus copies on their way, so peers fetching at once spread over pieces.
        long rarity = Math.min(t.holderCount(i) + (long) t.pending(i), Integer.MAX_VALUE);
        keys[n++] = (rarity << 32) | Math.floorMod(i - rotation, stored);
      }
    }
    return Arrays.copyOf(keys, n);
  }

  /** Makes {@code a[0, n)} a min-heap in O(n). */
  private static void heapify(long[] a, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(a, i, n);
    }
  }

  private static void siftDown(long[] a, int i, int n) {
    long x = a[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && a[child + 1] < a[child]) {
        child++;
      }
      if (a[child] >= x) {
        break;
      }
      a[i] = a[child];
      i = child;
    }
    a[i] = x;
  }

  /**
   * The {@link #MAX_PEER_SOURCES} least loaded usable holders among the probed ones, least loaded first (ties in
   * probe order), picked in one pass without sorting the probes.
   */
  private List<PeerRecord> peerSources(TaskState t, int piece, TaskPeer self) {
    List<TaskPeer> holders = t.holders(piece);
    int size = holders.size();
    if (size == 0) {
      return List.of();
    }
    PeerRecord[] best = new PeerRecord[MAX_PEER_SOURCES];
    int found = 0;
    int start = Math.floorMod(self.peer.address.peerId().hashCode() + piece, size);
    for (int k = 0; k < Math.min(size, HOLDER_PROBES); k++) {
      PeerRecord r = holders.get((start + k) % size).peer;
      if (r == self.peer || !r.usableSource() || r.uploadsInFlight >= maxUploadsPerPeer) {
        continue;
      }
      int at = found;
      while (at > 0 && best[at - 1].uploadsInFlight > r.uploadsInFlight) {
        at--;
      }
      if (at == MAX_PEER_SOURCES) {
        continue;
      }
      System.arraycopy(best, at, best, at + 1, Math.min(found, MAX_PEER_SOURCES - 1) - at);
      best[at] = r;
      found = Math.min(found + 1, MAX_PEER_SOURCES);
    }
    return found == 0 ? List.of() : Arrays.asList(best).subList(0, found);
  }

  static long offset(TaskState t, int piece) {
    return (long) piece * t.cdn.layout().pieceSize();
  }

  static int length(TaskState t, int piece) {
    PieceLayout layout = t.cdn.layout();
    if (layout.lengthKnown()) {
      return layout.lengthOf(piece);
    }
    return (int) Math.min(layout.pieceSize(), t.cdn.storedBytes() - offset(t, piece));
  }
}
