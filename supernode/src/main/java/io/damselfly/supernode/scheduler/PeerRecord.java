package io.damselfly.supernode.scheduler;

import io.damselfly.protocol.PeerAddress;
import java.time.Instant;

/** What the scheduler knows of one peer across all its tasks. Scheduler thread only. */
final class PeerRecord {
  final PeerAddress address;
  PeerStatus status = PeerStatus.ACTIVE;
  int consecutiveFailures;
  int totalFailures;
  /** Assignments in which this peer is the first source and which are not reported yet. */
  int uploadsInFlight;
  long bytesUploaded;
  Instant lastSeen;

  PeerRecord(PeerAddress address, Instant now) {
    this.address = address;
    this.lastSeen = now;
  }

  boolean usableSource() {
    return status == PeerStatus.ACTIVE && address.uploads();
  }

  void move(PeerStatus next) {
    status = status.moveTo(next);
  }
}
