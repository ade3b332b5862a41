package io.damselfly.peer.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.peer.testkit.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which byte ranges a file being downloaded may serve: only those inside verified pieces. */
class HeldFileTest {
  private static final TaskId TASK = TaskId.of("held-1");
  private static final int PIECE = 4;

  @TempDir Path dir;

  private HeldFile file(long totalLength) throws IOException {
    Path data = Files.write(dir.resolve("f"), new byte[10]);
    return new TaskFiles(dir.resolve("data"), new FakeClock()).downloading(TASK, data, PIECE, totalLength);
  }

  @Test
  void aWaiterWakesWhenAPieceIsMarkedNotWhenItsWaitEnds() throws Exception {
    HeldFile f = file(10);
    java.util.concurrent.CompletableFuture<Integer> seen = new java.util.concurrent.CompletableFuture<>();
    Thread waiter = Thread.ofVirtual().start(() -> {
      try {
        seen.complete(f.awaitMore(0, 600_000));
      } catch (InterruptedException e) {
        seen.completeExceptionally(e);
      }
    });
    f.markHeld(2);
    f.markHeld(2);

    assertThat(seen.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(f.heldCount()).as("marking a piece twice counts it once").isEqualTo(1);
    assertThat(f.awaitMore(5, 0)).as("no wait: the count at once").isEqualTo(1);
    waiter.join();
  }

  @Test
  void aPieceClaimedDamagedIsHashedAgainAndNeverServedWhenItIs() throws IOException {
    HeldFile f = file(10);
    byte[] bytes = Files.readAllBytes(f.path());
    String piece0 = io.damselfly.common.Digest.of(io.damselfly.common.Digest.Algorithm.SHA256, bytes, 0, PIECE).toString();
    String piece1 = io.damselfly.common.Digest.of(io.damselfly.common.Digest.Algorithm.SHA256, bytes, PIECE, PIECE).toString();
    f.markHeld(0, piece0);
    f.markHeld(1, piece1);
    f.markHeld(2);

    assertThat(f.recheck(0)).isEqualTo("INTACT");
    assertThat(f.recheck(2)).as("verified without a digest: nothing to check against").isEqualTo("NOT_CHECKED");
    bytes[PIECE + 1] ^= 1;
    Files.write(f.path(), bytes);
    assertThat(f.recheck(1)).isEqualTo("DAMAGED");

    assertThat(f.holds(PIECE, 1)).isFalse();
    assertThat(f.holds(0, PIECE)).isTrue();
    assertThat(f.heldPieces().get(1)).isFalse();
    assertThat(f.heldPieces().get(0)).isTrue();
    assertThat(f.recheck(1)).as("stays damaged").isEqualTo("DAMAGED");

    bytes[0] ^= 1;
    Files.write(f.path(), bytes);
    assertThat(f.recheckAll()).as("the rest of the copy, hashed once").isEqualTo(2);
    assertThat(f.holds(0, 1)).isFalse();
  }

  @Test
  void nothingIsHeldBeforeAPieceIsMarked() throws IOException {
    HeldFile f = file(10);
    assertThat(f.holds(0, 1)).isFalse();
    assertThat(f.complete()).isFalse();
  }

  @Test
  void aMarkedPieceServesRangesInsideItOnly() throws IOException {
    HeldFile f = file(10);
    f.markHeld(1);

    assertThat(f.holds(4, 4)).isTrue();
    assertThat(f.holds(5, 2)).isTrue();
    assertThat(f.holds(7, 1)).isTrue();
    assertThat(f.holds(3, 2)).as("starts in piece 0").isFalse();
    assertThat(f.holds(7, 2)).as("ends in piece 2").isFalse();
  }

  @Test
  void aRangeOverSeveralPiecesNeedsAllOfThem() throws IOException {
    HeldFile f = file(10);
    f.markHeld(0);
    f.markHeld(2);
    assertThat(f.holds(0, 10)).isFalse();

    f.markHeld(1);
    assertThat(f.holds(0, 10)).isTrue();
    assertThat(f.holds(2, 7)).isTrue();
  }

  @Test
  void theShortLastPieceEndsAtTheFileLength() throws IOException {
    HeldFile f = file(10);
    f.markHeld(2);
    assertThat(f.holds(8, 2)).isTrue();
    assertThat(f.holds(8, 3)).as("past the end").isFalse();
    assertThat(f.holds(10, 1)).isFalse();
  }

  @Test
  void emptyAndNegativeRangesAreNeverHeld() throws IOException {
    HeldFile f = file(10);
    f.markHeld(0);
    assertThat(f.holds(0, 0)).isFalse();
    assertThat(f.holds(-1, 2)).isFalse();
    assertThat(f.holds(0, -4)).isFalse();
  }

  @Test
  void whileTheLengthIsUnknownMarkedPiecesServeAndTheEndIsLearnedLater() throws IOException {
    HeldFile f = file(-1);
    f.markHeld(0);
    f.markHeld(1);
    assertThat(f.totalLength()).isEqualTo(-1);
    assertThat(f.holds(0, 8)).isTrue();
    assertThat(f.holds(0, 9)).isFalse();

    f.setTotalLength(6);
    assertThat(f.holds(0, 6)).isTrue();
    assertThat(f.holds(0, 7)).as("past the learned end").isFalse();
  }

  @Test
  void aCompleteFileServesEveryRangeWithinItsLength() throws IOException {
    TaskFiles files = new TaskFiles(dir.resolve("data"), new FakeClock());
    Path data = Files.write(dir.resolve("whole"), new byte[10]);
    HeldFile f = files.downloading(TASK, data, PIECE, 10);

    assertThat(f.sha256()).isNull();
    files.complete(f, 10, Digest.sha256Of(new byte[10]));

    assertThat(f.complete()).isTrue();
    assertThat(f.sha256()).isEqualTo(Digest.sha256Of(new byte[10]));
    assertThat(f.holds(0, 10)).isTrue();
    assertThat(f.holds(9, 1)).isTrue();
    assertThat(f.holds(0, 11)).isFalse();
    assertThat(f.holds(0, 0)).isFalse();
  }

  @Test
  void servedBytesAreCounted() throws IOException {
    HeldFile f = file(10);
    f.served("peer-a", 4);
    f.served("peer-b", 6);
    assertThat(f.uploadedBytes()).isEqualTo(10);
  }
}
