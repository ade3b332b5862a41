package io.damselfly.supernode.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.DiskQuota;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.TestCdn;
import io.damselfly.testing.OriginServer.Fault;
import io.damselfly.testing.TestFiles;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDN survives origin faults, restarts and a full disk: broken-off bodies resume with Range from the
 * last stored piece, a restart continues an unfinished fetch from its verified pieces, altered files are
 * never served, and the disk budget evicts or refuses before it writes.
 */
class CdnRecoveryTest {
  private static final int KIB = 1024;
  private static final long SIZE = 1024 * KIB;
  private static final int PIECE = 256 * KIB;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private TestCdn cdn;

  @BeforeEach
  void start() throws Exception {
    cdn = TestCdn.start(dir, clock, Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    if (cdn != null) {
      cdn.close();
    }
  }

  @Test
  void aBodyThatBreaksOffIsResumedFromTheLastStoredPiece() throws Exception {
    Path file = cdn.serve("/f.bin", SIZE, 1);
    cdn.origin().dropOnce("/f.bin", 600 * KIB, () -> { });

    CdnTask t = cdn.fetched("/f.bin");

    assertThat(TestFiles.sha256(t.dataFile())).isEqualTo(TestFiles.sha256(file));
    assertThat(cdn.origin().requests("/f.bin")).as("the first GET and one resumed GET").isEqualTo(2);
    assertThat(cdn.origin().bodyBytes("/f.bin")).as("600 KiB, then the rest from the third piece")
        .isEqualTo(600 * KIB + SIZE - 2 * PIECE);
  }

  @Test
  void aFileThatChangesDuringTheFetchIsNeverSplicedFromTwoVersions() throws Exception {
    cdn.serve("/f.bin", SIZE, 2);
    Path newer = dir.resolve("newer.bin");
    TestFiles.write(newer, SIZE, 3);
    cdn.origin().dropOnce("/f.bin", 600 * KIB, () -> cdn.origin().serve("/f.bin", newer));

    CdnTask broken = cdn.await(cdn.resolve("/f.bin"), TaskStatus.FAILED);

    assertThat(broken.error().message()).contains("origin file changed during the fetch");
    assertThat(entries()).as("nothing of either version is kept").isEmpty();
    CdnTask next = cdn.fetched("/f.bin");
    assertThat(next.id()).isNotEqualTo(broken.id());
    assertThat(TestFiles.sha256(next.dataFile())).isEqualTo(TestFiles.sha256(newer));
  }

  @Test
  void aRestartResumesAnUnfinishedFetchWithoutFetchingItsVerifiedPiecesAgain() throws Exception {
    Path file = cdn.serve("/f.bin", SIZE, 4);
    CdnTask before = cdn.fetched("/f.bin");
    // what a crash in the middle of piece 2 leaves: no completion record, piece 2 journaled but torn
    Files.delete(before.dataFile().resolveSibling(CdnJournal.META));
    truncate(before.dataFile(), 2L * PIECE + 1000);
    truncate(before.dataFile().resolveSibling(CdnJournal.PIECES), 3 * 72 + 30);

    CdnStore restarted = cdn.restart();

    assertThat(restarted.task(before.id())).as("an unfinished file is not served before it resumes").isEmpty();
    CdnTask after = cdn.fetched("/f.bin");
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(TestFiles.sha256(after.dataFile())).isEqualTo(TestFiles.sha256(file));
    assertThat(cdn.origin().bodyBytes("/f.bin")).as("the first fetch, then only the two unverified pieces")
        .isEqualTo(SIZE + SIZE - 2 * PIECE);
    assertThat(cdn.restart().task(before.id()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(cdn.origin().bodyBytes("/f.bin")).isEqualTo(2 * SIZE - 2 * PIECE);
  }

  @Test
  void aCompleteFileAlteredOnDiskIsNeverServedAndItsBadPiecesAreFetchedAgain() throws Exception {
    Path file = cdn.serve("/f.bin", SIZE, 5);
    CdnTask before = cdn.fetched("/f.bin");
    try (FileChannel ch = FileChannel.open(before.dataFile(), StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), PIECE + 10);
    }
    Files.setLastModifiedTime(before.dataFile(), FileTime.fromMillis(Files.getLastModifiedTime(before.dataFile())
        .toMillis() + 2000));

    CdnStore restarted = cdn.restart();

    assertThat(restarted.task(before.id())).as("the altered file is not served").isEmpty();
    CdnTask after = cdn.fetched("/f.bin");
    assertThat(TestFiles.sha256(after.dataFile())).isEqualTo(TestFiles.sha256(file));
    assertThat(cdn.origin().bodyBytes("/f.bin")).as("pieces from the altered one on were fetched again")
        .isEqualTo(SIZE + SIZE - PIECE);
  }

  @Test
  void aFileLargerThanTheCacheIsRefusedBeforeAByteIsStored() throws Exception {
    cdn.restart(new DiskQuota(512 * KIB, 0));
    cdn.serve("/f.bin", SIZE, 6);

    assertThatThrownBy(() -> cdn.resolve("/f.bin")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.body().code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
      assertThat(e.getMessage()).contains("needs 1.0 MiB").contains("cache limit is 512.0 KiB");
    });
    assertThat(entries()).isEmpty();
  }

  @Test
  void aChunkedFileThatOutgrowsTheCacheFailsAndLeavesNoEntry() throws Exception {
    cdn.restart(new DiskQuota(512 * KIB, 0));
    cdn.serve("/f.bin", SIZE, 7);
    cdn.origin().fault("/f.bin", Fault.chunkedBody());

    CdnTask t = cdn.await(cdn.resolve("/f.bin"), TaskStatus.FAILED);

    assertThat(t.error().code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
    assertThat(entries()).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedCompleteFileIsEvictedToMakeRoomButNotOneInUse() throws Exception {
    cdn.restart(new DiskQuota(2 * SIZE + PIECE, 0));
    cdn.serve("/a.bin", SIZE, 8);
    cdn.serve("/b.bin", SIZE, 9);
    cdn.serve("/c.bin", SIZE, 10);
    CdnTask a = cdn.fetched("/a.bin");
    clock.advance(Duration.ofSeconds(10));
    CdnTask b = cdn.fetched("/b.bin");

    assertThatThrownBy(() -> cdn.resolve("/c.bin")).as("both are in use: nothing is evicted")
        .hasMessageContaining("cache limit");
    clock.advance(CdnSpace.IN_USE.plusSeconds(1));
    CdnTask c = cdn.fetched("/c.bin");

    assertThat(a.status()).as("the least recently used").isEqualTo(TaskStatus.EVICTED);
    assertThat(b.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(cdn.store().evictions()).as("counted for the metrics").isEqualTo(1);
    assertThat(cdn.store().task(a.id())).isEmpty();
    assertThat(a.dataFile()).doesNotExist();
    assertThat(c.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(cdn.fetched("/a.bin").status()).as("a later registration fetches it again").isEqualTo(TaskStatus.SUCCESS);
  }

  private static void truncate(Path file, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private List<Path> entries() throws Exception {
    try (Stream<Path> s = Files.list(cdn.dataDir().resolve("cdn"))) {
      return s.toList();
    }
  }
}
