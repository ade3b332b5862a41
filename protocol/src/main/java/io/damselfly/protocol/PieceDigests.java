package io.damselfly.protocol;

import java.util.List;

/**
 * The digests of a task's stored pieces, in piece order ({@link ProtocolV1#PIECE_DIGESTS}).
 *
 * @param contentLength file length, -1 while unknown (then every listed piece is full size)
 * @param digests {@code sha256:HEX} of pieces 0..n-1, as far as the CDN has stored them
 */
public record PieceDigests(String taskId, long contentLength, int pieceSize, List<String> digests) {
  public PieceDigests {
    digests = digests == null ? List.of() : List.copyOf(digests);
  }
}
