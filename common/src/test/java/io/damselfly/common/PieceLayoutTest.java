package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PieceLayoutTest {
  private static final long MIB = 1 << 20;

  @Test
  void pieceSizeFollowsTheDocumentedRule() {
    assertThat(PieceLayout.forLength(0).pieceSize()).isEqualTo(PieceLayout.DEFAULT_MIN_PIECE_SIZE);
    assertThat(PieceLayout.forLength(96 * MIB).pieceSize()).isEqualTo((int) (4 * MIB));
    assertThat(PieceLayout.forLength(96 * MIB).pieceCount()).isEqualTo(24);
    assertThat(PieceLayout.forLength(4096 * MIB).pieceSize()).isEqualTo((int) (4 * MIB));
    assertThat(PieceLayout.forLength(4096 * MIB + 1).pieceSize()).isEqualTo((int) (8 * MIB));
    assertThat(PieceLayout.forLength(64L * 1024 * MIB).pieceSize()).isEqualTo(PieceLayout.MAX_PIECE_SIZE);
    assertThat(PieceLayout.forLength(-1).pieceSize()).isEqualTo(PieceLayout.UNKNOWN_LENGTH_PIECE_SIZE);
  }

  @Test
  void aSmallerFloorGivesSmallFilesMorePieces() {
    int small = 256 * 1024;
    assertThat(PieceLayout.forLength(64 * MIB, small).pieceSize()).isEqualTo(small);
    assertThat(PieceLayout.forLength(1024 * MIB, small).pieceSize()).isEqualTo((int) MIB);
    assertThat(PieceLayout.forLength(1024 * MIB, small).pieceCount()).isEqualTo(1024);
    assertThat(PieceLayout.forLength(1024 * MIB + 1, small).pieceSize()).isEqualTo((int) (2 * MIB));
    assertThat(PieceLayout.forLength(-1, small).pieceSize()).isEqualTo(PieceLayout.UNKNOWN_LENGTH_PIECE_SIZE);
    assertThat(PieceLayout.forLength(-1, 8 << 20).pieceSize()).isEqualTo(8 << 20);
  }

  @Test
  void refusesAFloorThatIsNoPowerOfTwoOrOutOfRange() {
    assertThatThrownBy(() -> PieceLayout.forLength(MIB, 3 << 20))
        .hasMessage("minimum piece size must be a power of two from 64 KiB to 16 MiB, got 3145728 bytes");
    assertThatThrownBy(() -> PieceLayout.forLength(MIB, 32 * 1024)).hasMessageContaining("64 KiB to 16 MiB");
    assertThatThrownBy(() -> PieceLayout.forLength(MIB, 32 << 20)).hasMessageContaining("64 KiB to 16 MiB");
  }

  @Test
  void pieceCountStaysBoundedUpTo16GiB() {
    for (long len = 1; len <= 16L * 1024 * MIB; len = len * 3 + 7) {
      assertThat(PieceLayout.forLength(len).pieceCount()).isBetween(1, PieceLayout.TARGET_PIECES);
    }
  }

  @Test
  void lastPieceIsShortAndRangesCoverTheFile() {
    PieceLayout l = new PieceLayout(10 * 256 * 1024 + 5, 256 * 1024);
    assertThat(l.pieceCount()).isEqualTo(11);
    assertThat(l.lengthOf(10)).isEqualTo(5);
    long covered = 0;
    for (int p = 0; p < l.pieceCount(); p++) {
      assertThat(l.rangeOf(p).start()).isEqualTo(covered);
      covered += l.lengthOf(p);
    }
    assertThat(covered).isEqualTo(l.contentLength());
    assertThat(l.pieceAt(l.contentLength() - 1)).isEqualTo(10);
  }

  @Test
  void rejectsOutOfRangePieces() {
    PieceLayout l = PieceLayout.forLength(MIB, 256 * 1024);
    assertThatThrownBy(() -> l.lengthOf(4)).hasMessageContaining("piece number must be in [0, 4)");
    assertThatThrownBy(() -> l.offsetOf(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PieceLayout(10, 3)).hasMessageContaining("power of two");
  }

  @Test
  void emptyFileHasNoPieces() {
    assertThat(PieceLayout.forLength(0).pieceCount()).isZero();
  }
}
