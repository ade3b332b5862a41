package io.damselfly.supernode.scheduler;

import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/** One peer's progress in one task. Scheduler thread only. */
final class TaskPeer {
  /**
   * An assignment handed out and not reported yet; {@code toUploader} says whether it was counted as on its way
   * to an uploading peer, so its release takes back exactly what was counted even if the peer's state changed.
   */
  record Outstanding(String primarySource, Instant deadline, boolean toUploader) {}

  final PeerRecord peer;
  final BitSet have = new BitSet();
  final Map<Integer, Outstanding> outstanding = new HashMap<>();
  long bytesFromPeers;
  long bytesFromCdn;

  TaskPeer(PeerRecord peer) {
    this.peer = peer;
  }
}
