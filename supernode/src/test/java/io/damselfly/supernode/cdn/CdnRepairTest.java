package io.damselfly.supernode.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.TestCdn;
import io.damselfly.testing.OriginServer.Fault;
import io.damselfly.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's report that a CDN piece failed its digest is checked against the stored bytes: a damaged piece is
 * withheld, fetched again from the origin for the same version and served again; a false claim is found
 * intact; checks are rate limited per piece and per reporter.
 */
class CdnRepairTest {
  private static final int KIB = 1024;
  private static final int PIECE = 256 * KIB;
  private static final long SIZE = 16L * PIECE;

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
  void aDamagedPieceIsWithheldFetchedAgainWithIfRangeAndServedAgain() throws Exception {
    Path file = cdn.serve("/f.bin", SIZE, 1);
    CdnTask t = cdn.fetched("/f.bin");
    long before = cdn.origin().bodyBytes("/f.bin");
    damage(t, 5);

    assertThat(verdict(t, 5, "peer-1")).isEqualTo(ClaimVerdict.DAMAGED);
    awaitRepairs(1);

    assertThat(TestFiles.sha256(t.dataFile())).isEqualTo(TestFiles.sha256(file));
    assertThat(t.withheld(5)).isFalse();
    assertThat(t.servable(5L * PIECE, PIECE)).isTrue();
    assertThat(cdn.origin().bodyBytes("/f.bin") - before).as("only the piece came again").isEqualTo(PIECE);
    List<String> ranges = cdn.origin().header("/f.bin", "Range");
    assertThat(ranges.get(ranges.size() - 1)).isEqualTo("bytes=" + 5L * PIECE + "-" + (6L * PIECE - 1));
    List<String> ifRange = cdn.origin().header("/f.bin", "If-Range");
    assertThat(ifRange.get(ifRange.size() - 1)).isEqualTo(t.etag());
    assertThat(Files.readAllLines(t.dir().resolve(CdnJournal.REPAIRS)))
        .anySatisfy(l -> assertThat(l).contains("\"outcome\":\"damaged\"").contains("peer-1"))
        .anySatisfy(l -> assertThat(l).contains("\"outcome\":\"repaired\""));
    assertThat(cdn.store().claims(ClaimVerdict.DAMAGED)).isEqualTo(1);

    CdnTask again = cdn.restart().task(t.id()).orElseThrow();
    assertThat(again.status()).as("the completion record was rewritten: trusted as it is").isEqualTo(t.status());
    assertThat(TestFiles.sha256(again.dataFile())).isEqualTo(TestFiles.sha256(file));
  }

  @Test
  void anOriginWithoutRangesRepairsFromTheWholeFile() throws Exception {
    Path file = cdn.serve("/f.bin", SIZE, 2);
    CdnTask t = cdn.fetched("/f.bin");
    cdn.origin().fault("/f.bin", Fault.ignoreRanges());
    damage(t, 9);

    assertThat(verdict(t, 9, "peer-1")).isEqualTo(ClaimVerdict.DAMAGED);
    awaitRepairs(1);

    assertThat(TestFiles.sha256(t.dataFile())).isEqualTo(TestFiles.sha256(file));
    assertThat(t.withheld(9)).isFalse();
  }

  @Test
  void aPieceTheOriginCannotGiveAgainIsLostAndNeverServed() throws Exception {
    cdn.serve("/f.bin", SIZE, 3);
    CdnTask t = cdn.fetched("/f.bin");
    cdn.serve("/f.bin", SIZE, 4); // the origin's file changed: If-Range gets the whole new version
    damage(t, 2);

    assertThat(verdict(t, 2, "peer-1")).isEqualTo(ClaimVerdict.DAMAGED);
    long end = System.nanoTime() + TestCdn.GUARD.toNanos();
    while (!t.lost(2) && System.nanoTime() < end) {
      Thread.sleep(10);
    }

    assertThat(t.lost(2)).isTrue();
    assertThat(t.withheld(2)).isTrue();
    assertThat(t.servable(2L * PIECE, 1)).isFalse();
    assertThat(t.servable(3L * PIECE, PIECE)).as("other pieces still served").isTrue();
    assertThat(cdn.store().repairsFailed()).isEqualTo(1);
    assertThat(Files.readString(t.dir().resolve(CdnJournal.REPAIRS))).contains("lost: ");
  }

  @Test
  void aFalseClaimIsFoundIntactAndNotCheckedAgainWithinTheInterval() throws Exception {
    cdn.serve("/f.bin", SIZE, 5);
    CdnTask t = cdn.fetched("/f.bin");

    assertThat(verdict(t, 3, "liar")).isEqualTo(ClaimVerdict.INTACT);
    assertThat(verdict(t, 3, "liar")).isEqualTo(ClaimVerdict.INTACT);
    assertThat(verdict(t, 3, "other")).isEqualTo(ClaimVerdict.INTACT);
    assertThat(cdn.store().claims(ClaimVerdict.INTACT)).as("hashed once").isEqualTo(1);

    clock.advance(PieceRepair.CHECK_INTERVAL);
    assertThat(verdict(t, 3, "liar")).isEqualTo(ClaimVerdict.INTACT);
    assertThat(cdn.store().claims(ClaimVerdict.INTACT)).isEqualTo(2);
  }

  @Test
  void aReporterGetsABoundedNumberOfChecksPerInterval() throws Exception {
    cdn.serve("/f.bin", SIZE, 6);
    CdnTask t = cdn.fetched("/f.bin");

    for (int piece = 0; piece < PieceRepair.CHECKS_PER_REPORTER; piece++) {
      assertThat(verdict(t, piece, "liar")).isEqualTo(ClaimVerdict.INTACT);
    }
    assertThat(verdict(t, PieceRepair.CHECKS_PER_REPORTER, "liar")).isEqualTo(ClaimVerdict.NOT_CHECKED);
    assertThat(verdict(t, PieceRepair.CHECKS_PER_REPORTER, "honest")).isEqualTo(ClaimVerdict.INTACT);
    assertThat(verdict(t, 99, "honest")).as("not a stored piece").isEqualTo(ClaimVerdict.NOT_CHECKED);
  }

  private ClaimVerdict verdict(CdnTask t, int piece, String reporter) throws Exception {
    return cdn.store().checkClaim(t, piece, reporter).get(TestCdn.GUARD.toSeconds(), TimeUnit.SECONDS);
  }

  private void awaitRepairs(long n) throws InterruptedException {
    long end = System.nanoTime() + TestCdn.GUARD.toNanos();
    while (cdn.store().repairsDone() < n && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(cdn.store().repairsDone()).isEqualTo(n);
  }

  private static void damage(CdnTask t, int piece) throws Exception {
    try (FileChannel ch = FileChannel.open(t.dataFile(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), (long) piece * PIECE + 1000);
    }
  }
}
