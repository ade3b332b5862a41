package io.damselfly.peer.download.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.TaskId;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.peer.store.TaskFiles;
import io.damselfly.testing.TestFiles;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-file digests computed as pieces arrive equal those of the finished file, whatever the order. */
class PrefixDigestTest {
  private static final int PIECE = 1000;
  private static final long SIZE = 10 * PIECE + 123;

  @TempDir Path dir;

  @Test
  void piecesOutOfOrderGiveTheFilesDigests() throws Exception {
    Path file = dir.resolve("f");
    TestFiles.write(file, SIZE, 7);
    FileDigests whole = FileDigests.of(file, true);
    HeldFile held = new TaskFiles(dir.resolve("data"), Clock.systemUTC())
        .unserved(TaskId.of("prefix-task"), file, PIECE, SIZE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      PrefixDigest prefix = new PrefixDigest(held, ch, true);
      for (int piece : new int[] {2, 0, 1, 5, 4, 10, 3}) {
        held.markHeld(piece);
        prefix.advance();
      }
      FileDigests got = prefix.finish(SIZE); // pieces 6..9 are hashed here

      assertThat(got).isEqualTo(whole);
    }
  }

  @Test
  void anUnknownLengthDefersHashingToTheEnd() throws Exception {
    Path file = dir.resolve("g");
    TestFiles.write(file, SIZE, 8);
    HeldFile held = new TaskFiles(dir.resolve("data"), Clock.systemUTC())
        .unserved(TaskId.of("prefix-task-2"), file, PIECE, -1);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      PrefixDigest prefix = new PrefixDigest(held, ch, false);
      held.markHeld(0);
      prefix.advance();

      assertThat(prefix.finish(SIZE).sha256()).isEqualTo(FileDigests.of(file, false).sha256());
    }
  }
}
