package io.damselfly.peer.download.pieces;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.Source;

/** Where a piece that failed its digest from a peer is reported back to that peer, so it checks its copy. */
@FunctionalInterface
public interface DamageReports {
  /** Reports nothing. */
  DamageReports NONE = (task, piece, source) -> { };

  /** Tells {@code source} that {@code piece} of {@code task} it sent failed its digest; must not block. */
  void report(TaskId task, int piece, Source source);
}
