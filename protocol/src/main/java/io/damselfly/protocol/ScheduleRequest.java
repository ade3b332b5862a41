package io.damselfly.protocol;

import java.util.List;

/**
 * A peer reports what happened since its last request and asks for up to {@code want} more pieces.
 * Reports ride on work requests, so the supernode sees one request per batch, not per piece.
 */
public record ScheduleRequest(String peerId, List<PieceDone> done, List<PieceFailure> failed, int want) {
  /** Most reports of each kind one request may carry. */
  public static final int MAX_REPORTS = 100_000;

  public ScheduleRequest {
    io.damselfly.common.PeerId.of(peerId);
    done = done == null ? List.of() : List.copyOf(done);
    failed = failed == null ? List.of() : List.copyOf(failed);
    if (want < 0 || done.size() > MAX_REPORTS || failed.size() > MAX_REPORTS) {
      throw new IllegalArgumentException("want must be >= 0 and reports at most " + MAX_REPORTS + " entries");
    }
  }
}
