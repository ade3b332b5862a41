package io.damselfly.supernode.scheduler;

import io.damselfly.supernode.cdn.CdnTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scheduler's view of one task: its peers and who holds which piece. Scheduler thread only. */
final class TaskState {
  final CdnTask cdn;
  final Map<String, TaskPeer> peers = new LinkedHashMap<>();
  final List<Parked> parked = new ArrayList<>();
  int cdnInFlight;
  private int[] holderCount = new int[64];
  private final List<List<String>> holders = new ArrayList<>();

  TaskState(CdnTask cdn) {
    this.cdn = cdn;
  }

  int holderCount(int piece) {
    return piece < holderCount.length ? holderCount[piece] : 0;
  }

  List<String> holders(int piece) {
    return piece < holders.size() ? holders.get(piece) : List.of();
  }

  void addHolder(int piece, String peerId) {
    if (piece >= holderCount.length) {
      holderCount = Arrays.copyOf(holderCount, Math.max(piece + 1, holderCount.length * 2));
    }
    while (holders.size() <= piece) {
      holders.add(new ArrayList<>(2));
    }
    holderCount[piece]++;
    holders.get(piece).add(peerId);
  }

  /** Forgets a peer's pieces; returns its task record, or null when it was not in this task. */
  TaskPeer removePeer(String peerId) {
    TaskPeer p = peers.remove(peerId);
    if (p != null) {
      for (int i = p.have.nextSetBit(0); i >= 0; i = p.have.nextSetBit(i + 1)) {
        holderCount[i]--;
        holders.get(i).remove(peerId);
      }
    }
    return p;
  }
}
