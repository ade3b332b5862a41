package io.damselfly.protocol;

import java.util.Base64;
import java.util.BitSet;

/**
 * Which pieces a peer holds verified ({@link ProtocolV1#PIECE_MAP}).
 *
 * @param bitmap Base64 of the little-endian bit set ({@link BitSet#toByteArray()}); bit i = piece i
 */
public record PieceMap(String taskId, int pieceSize, String bitmap) {
  public static PieceMap of(String taskId, int pieceSize, BitSet held) {
    return new PieceMap(taskId, pieceSize, Base64.getEncoder().encodeToString(held.toByteArray()));
  }

  /** The held pieces. */
  public BitSet held() {
    try {
      return BitSet.valueOf(Base64.getDecoder().decode(bitmap == null ? "" : bitmap));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("piece map bitmap must be Base64, got '" + bitmap + "'");
    }
  }
}
