package io.damselfly.common;

/**
 * How a file is cut into pieces. Every piece but the last has {@link #pieceSize()} bytes.
 *
 * <p>The piece size rule ({@link #forLength(long, int)}) is the next power of two of {@code length / }{@value
 * #TARGET_PIECES}, clamped to [minimum, {@value #MAX_PIECE_SIZE}] bytes. The minimum is the supernode's
 * {@code --min-piece-size}, {@value #DEFAULT_MIN_PIECE_SIZE} bytes by default: files up to 4 GiB get 4 MiB pieces
 * (a 96 MiB file 24 of them), larger ones keep about 1024 pieces up to 16 GiB, and files over 16 GiB get 16 MiB
 * pieces and more than 1024 of them. Every piece costs each peer a schedule entry, a range request, a digest and
 * a piece-map update, so the floor was raised from 256 KiB, measured (docs/BENCHMARKS.md, "A second machine, and 4 MiB pieces"). When the
 * length is unknown (a chunked origin) the size is {@value #UNKNOWN_LENGTH_PIECE_SIZE} bytes and the count is
 * known only when the origin's body ends.
 *
 * @param contentLength total bytes, or -1 while unknown
 * @param pieceSize bytes per piece
 */
public record PieceLayout(long contentLength, int pieceSize) {
  /** The smallest piece size a supernode may be set to ({@code --min-piece-size}). */
  public static final int MIN_PIECE_SIZE = 64 * 1024;
  /** The piece size's floor unless the supernode is told otherwise. */
  public static final int DEFAULT_MIN_PIECE_SIZE = 4 * 1024 * 1024;
  public static final int MAX_PIECE_SIZE = 16 * 1024 * 1024;
  public static final int UNKNOWN_LENGTH_PIECE_SIZE = 4 * 1024 * 1024;
  public static final int TARGET_PIECES = 1024;

  public PieceLayout {
    if (contentLength < -1) {
      throw new IllegalArgumentException("content length must be >= 0 or -1 (unknown), got " + contentLength);
    }
    if (pieceSize <= 0 || Integer.bitCount(pieceSize) != 1) {
      throw new IllegalArgumentException("piece size must be a positive power of two, got " + pieceSize);
    }
  }

  /** The documented rule with the default minimum: piece size for {@code contentLength} bytes (-1 when unknown). */
  public static PieceLayout forLength(long contentLength) {
    return forLength(contentLength, DEFAULT_MIN_PIECE_SIZE);
  }

  /** The documented rule: the piece size for {@code contentLength} bytes (-1: unknown), at least the floor. */
  public static PieceLayout forLength(long contentLength, int minPieceSize) {
    checkMinPieceSize(minPieceSize);
    if (contentLength < 0) {
      return new PieceLayout(-1, Math.max(UNKNOWN_LENGTH_PIECE_SIZE, minPieceSize));
    }
    long want = Math.max(1, (contentLength + TARGET_PIECES - 1) / TARGET_PIECES);
    long pow2 = Long.highestOneBit(want);
    if (pow2 < want) {
      pow2 <<= 1;
    }
    int size = (int) Math.min(MAX_PIECE_SIZE, Math.max(minPieceSize, pow2));
    return new PieceLayout(contentLength, size);
  }

  /** Checks a piece-size floor: a power of two in [{@value #MIN_PIECE_SIZE}, {@value #MAX_PIECE_SIZE}]; returns it. */
  public static int checkMinPieceSize(int minPieceSize) {
    if (minPieceSize < MIN_PIECE_SIZE || minPieceSize > MAX_PIECE_SIZE || Integer.bitCount(minPieceSize) != 1) {
      throw new IllegalArgumentException("minimum piece size must be a power of two from 64 KiB to 16 MiB, got "
          + minPieceSize + " bytes");
    }
    return minPieceSize;
  }

  public boolean lengthKnown() {
    return contentLength >= 0;
  }

  /** Number of pieces; -1 while the length is unknown. An empty file has zero pieces. */
  public int pieceCount() {
    if (contentLength < 0) {
      return -1;
    }
    return Math.toIntExact((contentLength + pieceSize - 1) / pieceSize);
  }

  /** This layout once the length becomes known. */
  public PieceLayout withLength(long length) {
    return new PieceLayout(length, pieceSize);
  }

  public long offsetOf(int piece) {
    checkPiece(piece);
    return (long) piece * pieceSize;
  }

  /** Bytes of piece {@code piece}: the piece size, or less for the last piece. */
  public int lengthOf(int piece) {
    checkPiece(piece);
    if (contentLength < 0) {
      return pieceSize;
    }
    long start = (long) piece * pieceSize;
    return (int) Math.min(pieceSize, contentLength - start);
  }

  public ByteRange rangeOf(int piece) {
    return new ByteRange(offsetOf(piece), lengthOf(piece));
  }

  /** The piece that holds byte {@code offset}. */
  public int pieceAt(long offset) {
    if (offset < 0 || (contentLength >= 0 && offset >= contentLength)) {
      throw new IllegalArgumentException("offset must be in [0, " + contentLength + "), got " + offset);
    }
    return Math.toIntExact(offset / pieceSize);
  }

  private void checkPiece(int piece) {
    int count = pieceCount();
    if (piece < 0 || (count >= 0 && piece >= count)) {
      throw new IllegalArgumentException(
          "piece number must be in [0, " + (count < 0 ? "?" : count) + "), got " + piece);
    }
  }
}
