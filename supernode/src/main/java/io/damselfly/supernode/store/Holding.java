package io.damselfly.supernode.store;

/**
 * The pieces one peer holds of one task: one record per peer per task, not one per piece.
 *
 * @param peerId the peer
 * @param host where it uploads
 * @param port its upload port
 * @param bitmap Base64 of a little-endian bit set (bit i = piece i), as {@code PieceMap}
 * @param seenMillis when the owner last heard of it
 */
public record Holding(String peerId, String host, int port, String bitmap, long seenMillis) {
  public Holding {
    Member.requireText("peerId", peerId);
    Member.requireText("host", host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
    }
    bitmap = bitmap == null ? "" : bitmap;
  }

  /** The pieces as a bit set. */
  public java.util.BitSet pieces() {
    return java.util.BitSet.valueOf(java.util.Base64.getDecoder().decode(bitmap));
  }
}
