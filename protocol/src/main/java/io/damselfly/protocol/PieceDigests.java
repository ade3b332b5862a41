package io.damselfly.protocol;

import java.util.List;

/**
 * The digests of a task's stored pieces, in piece order ({@link ProtocolV1#PIECE_DIGESTS}).
 *
 * @param contentLength file length, -1 while unknown (then every listed piece is full size)
 * @param digests {@code sha256:HEX} of pieces from..n-1, as far as the CDN has stored them
 * @param from the piece of the first digest listed (0 from supernodes older than 1.4, which list every piece)
 */
public record PieceDigests(String taskId, long contentLength, int pieceSize, List<String> digests, int from) {
  public PieceDigests {
    digests = digests == null ? List.of() : List.copyOf(digests);
    if (from < 0) {
      throw new IllegalArgumentException("from must be >= 0, got " + from);
    }
  }

  /** Every stored piece's digest, from piece 0. */
  public PieceDigests(String taskId, long contentLength, int pieceSize, List<String> digests) {
    this(taskId, contentLength, pieceSize, digests, 0);
  }
}
