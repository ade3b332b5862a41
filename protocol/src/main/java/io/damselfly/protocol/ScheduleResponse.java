package io.damselfly.protocol;

import java.util.List;

/**
 * Work for a peer.
 *
 * @param status what the peer should do next
 * @param assignments pieces to fetch (may be empty)
 * @param contentLength file length, -1 while unknown
 * @param pieceCount piece count, -1 while unknown
 * @param fileDigest {@code sha256:HEX} of the whole file once the CDN has all of it, else null
 * @param error why the task failed, for {@link Status#FAILED}
 * @param retryAfterMillis for {@link Status#WAIT}: ask again after this long
 * @param neighbors uploading peers of the task the peer may ask directly for their piece maps
 *     ({@link ProtocolV1#PIECE_MAP}) and fetch pieces from without an assignment (since 1.1)
 */
public record ScheduleResponse(
    Status status,
    List<Assignment> assignments,
    long contentLength,
    int pieceCount,
    String fileDigest,
    ErrorBody error,
    long retryAfterMillis,
    List<Source> neighbors) {

  /** What the peer does next. */
  public enum Status {
    /** Fetch the assignments, then ask again. */
    ASSIGNED,
    /** Nothing to fetch yet (pieces not stored or sources busy); ask again later. */
    WAIT,
    /** The peer holds every piece. */
    DONE,
    /** The task failed (origin error); stop. */
    FAILED
  }

  public ScheduleResponse {
    assignments = assignments == null ? List.of() : List.copyOf(assignments);
    neighbors = neighbors == null ? List.of() : List.copyOf(neighbors);
  }

  /** An answer without neighbors. */
  public ScheduleResponse(Status status, List<Assignment> assignments, long contentLength, int pieceCount,
      String fileDigest, ErrorBody error, long retryAfterMillis) {
    this(status, assignments, contentLength, pieceCount, fileDigest, error, retryAfterMillis, List.of());
  }
}
