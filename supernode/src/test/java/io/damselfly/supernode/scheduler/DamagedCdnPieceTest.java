package io.damselfly.supernode.scheduler;

import static io.damselfly.supernode.scheduler.SchedulerHarness.pieces;
import static io.damselfly.supernode.scheduler.SchedulerHarness.sourceIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.ScheduleResponse.Status;
import io.damselfly.supernode.TestCdn;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports that a CDN piece failed its digest reach the CDN as claims: a damaged piece is not assigned from the
 * CDN until repaired (its holders serve it meanwhile), an unrepairable one without holders fails the peers
 * that need it at once, and a false claim counts against the reporter.
 */
class DamagedCdnPieceTest {
  private static final String CDN = ProtocolV1.CDN_SOURCE;
  private static final int PIECE = 256 * 1024;

  @TempDir Path dir;

  @Test
  void aDamagedPieceIsServedByItsHoldersWhileTheCdnCopyIsLost() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      h.join("c");
      h.hold("a", 4);
      h.origin().fault("/f.bin", io.damselfly.testing.OriginServer.Fault.status(503)); // no repair possible
      damage(h, 4);

      h.fail("c", 4, CDN, FailureReason.DIGEST_MISMATCH, 0);
      await(() -> h.task.lost(4));
      ScheduleResponse r = h.ask("c", 8);

      assertThat(r.status()).isEqualTo(Status.ASSIGNED);
      assertThat(r.assignments()).filteredOn(x -> x.piece() == 4)
          .singleElement().satisfies(x -> assertThat(sourceIds(x)).containsExactly("a"));
      assertThat(r.assignments()).filteredOn(x -> x.piece() != 4)
          .allSatisfy(x -> assertThat(sourceIds(x)).contains(CDN));
      assertThat(h.peer("c").orElseThrow().state()).as("an honest report").isEqualTo("ACTIVE");
    }
  }

  @Test
  void aLostPieceNobodyHoldsFailsThePeerThatNeedsIt() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("c");
      h.origin().fault("/f.bin", io.damselfly.testing.OriginServer.Fault.status(503));
      damage(h, 6);

      h.fail("c", 6, CDN, FailureReason.DIGEST_MISMATCH, 0);
      await(() -> h.task.lost(6));
      ScheduleResponse r = h.ask("c", 8);

      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.error().code()).isEqualTo(ErrorCode.PIECE_UNAVAILABLE);
      assertThat(r.error().message()).contains("piece 6").contains("damaged").contains("no peer holds");
    }
  }

  @Test
  void aRepairedPieceIsAssignedFromTheCdnAgain() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("c");
      damage(h, 2);

      h.fail("c", 2, CDN, FailureReason.DIGEST_MISMATCH, 0);
      await(() -> h.store().repairsDone() == 1);
      ScheduleResponse r = h.ask("c", 8);

      assertThat(pieces(r)).contains(2);
      assertThat(h.task.withheld(2)).isFalse();
    }
  }

  @Test
  void falseClaimsCountAgainstTheReporterUntilItIsIsolated() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("liar");
      for (int piece = 0; piece < h.config.isolationFailures(); piece++) {
        h.fail("liar", piece, CDN, FailureReason.DIGEST_MISMATCH, 0);
        int n = piece + 1;
        await(() -> h.store().claims(io.damselfly.supernode.cdn.ClaimVerdict.INTACT) == n);
      }
      await(() -> {
        h.tick();
        return h.peer("liar").orElseThrow().state().equals("ISOLATED");
      });

      assertThat(h.peer("liar").orElseThrow().state()).isEqualTo("ISOLATED");
      assertThat(h.store().repairsDone()).isZero();
    }
  }

  private static void damage(SchedulerHarness h, int piece) throws Exception {
    try (FileChannel ch = FileChannel.open(h.task.dataFile(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {9, 9, 9}), (long) piece * PIECE + 7);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TestCdn.GUARD.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + TestCdn.GUARD);
      }
      Thread.sleep(10);
    }
  }
}
