package io.damselfly.protocol;

import java.util.List;

/**
 * A peer reports what happened since its last request and asks for up to {@code want} more pieces.
 * Reports ride on work requests, so the supernode sees one request per batch, not per piece.
 */
public record ScheduleRequest(String peerId, List<PieceDone> done, List<PieceFailure> failed, int want) {
  public ScheduleRequest {
    done = done == null ? List.of() : List.copyOf(done);
    failed = failed == null ? List.of() : List.copyOf(failed);
  }
}
