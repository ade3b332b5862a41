package io.damselfly.supernode.scheduler;

import static io.damselfly.supernode.scheduler.SchedulerHarness.assertFailsWith;
import static io.damselfly.supernode.scheduler.SchedulerHarness.get;
import static io.damselfly.supernode.scheduler.SchedulerHarness.pieces;
import static io.damselfly.supernode.scheduler.SchedulerHarness.primaries;
import static io.damselfly.supernode.scheduler.SchedulerHarness.seconds;
import static io.damselfly.supernode.scheduler.SchedulerHarness.sourceIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.ScheduleResponse.Status;
import io.damselfly.protocol.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers coming, failing, expiring, leaving and finishing. */
class PeerLifecycleTest {
  private static final String CDN = ProtocolV1.CDN_SOURCE;

  @TempDir Path dir;

  @Test
  void aDigestMismatchIsolatesTheSourceAtOnce() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      h.join("c");
      h.join("d");
      h.holdAll("a");
      ScheduleResponse r = h.ask("c", 1);
      assertThat(primaries(r)).containsExactly("a");

      ScheduleResponse next = h.fail("c", r.assignments().get(0).piece(), "a", FailureReason.DIGEST_MISMATCH, 1);

      assertThat(sourceIds(next.assignments().get(0))).containsExactly(CDN);
      // the piece c now fetches from the CDN is left for c; d gets every other one from the CDN
      assertThat(h.ask("d", 8).assignments()).hasSize(SchedulerHarness.PIECES - 1)
          .allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
      assertPeer(h, "a", "ISOLATED", 1);
    }
  }

  @Test
  void repeatedTimeoutsIsolateTheSourceAndASuccessResetsTheCount() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      int limit = h.config.isolationFailures();
      h.join("a");
      h.join("c");
      h.holdAll("a");
      ScheduleResponse r = h.ask("c", 1);
      for (int i = 1; i < limit; i++) {
        r = h.fail("c", r.assignments().get(0).piece(), "a", FailureReason.TIMEOUT, 1);
        assertThat(primaries(r)).as("after %d timeouts", i).containsExactly("a");
      }
      // a success from a resets its count of failures in a row
      int piece = r.assignments().get(0).piece();
      r = h.report("c", List.of(new PieceDone(piece, "a")), List.of(), 1);
      for (int i = 1; i < limit; i++) {
        r = h.fail("c", r.assignments().get(0).piece(), "a", FailureReason.TIMEOUT, 1);
        assertThat(primaries(r)).as("after %d timeouts since the success", i).containsExactly("a");
      }
      assertPeer(h, "a", "ACTIVE", 2 * (limit - 1));

      r = h.fail("c", r.assignments().get(0).piece(), "a", FailureReason.TIMEOUT, 1);

      assertThat(primaries(r)).containsExactly(CDN);
      assertPeer(h, "a", "ISOLATED", 2 * limit - 1);
    }
  }

  @Test
  void aPeerNotHeardFromWithinItsTtlIsRemoved() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      long ttl = h.config.peerTtl().toSeconds();
      h.join("a");
      h.join("c");
      h.holdAll("a");
      h.clock.advance(seconds(ttl - 10));
      h.ask("c", 0);
      h.tick();
      assertThat(h.peer("a")).as("a is still within its TTL").isPresent();

      h.clock.advance(seconds(20));
      h.tick();

      assertThat(h.peer("a")).isEmpty();
      assertThat(h.peer("c")).isPresent();
      assertThat(h.ask("c", 8).assignments()).hasSize(8)
          .allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
      assertFailsWith(ErrorCode.PEER_NOT_FOUND, () -> h.ask("a", 0));
      h.join("a");
      h.holdAll("c");
      assertThat(h.ask("a", 1).status()).as("an expired peer may register again").isEqualTo(Status.ASSIGNED);
    }
  }

  @Test
  void aPeerThatLeavesIsRemoved() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      h.join("c");
      h.holdAll("a");

      assertThat(get(h.scheduler.leave(h.task.id(), "a"))).isTrue();

      assertThat(h.view().peers()).extracting(p -> p.peerId()).containsExactly("c");
      assertThat(h.ask("c", 8).assignments()).hasSize(8)
          .allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
      assertFailsWith(ErrorCode.PEER_NOT_FOUND, () -> get(h.scheduler.leave(h.task.id(), "a")));
      assertFailsWith(ErrorCode.PEER_NOT_FOUND, () -> h.ask("a", 0));
    }
  }

  @Test
  void aLeavingPeerGivesBackTheUploadSlotsItHeld() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir, c -> c.withLimits(1, seconds(60)))) {
      var d = h.takeTheOnlyUploadSlotOfA();

      get(h.scheduler.leave(h.task.id(), "c"));

      assertThat(primaries(get(d))).containsExactly("a");
    }
  }

  @Test
  void aPeerHoldingEveryPieceIsDone() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      ScheduleResponse r = h.ask("a", 16);
      assertThat(r.status()).isEqualTo(Status.ASSIGNED);
      assertThat(pieces(r)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, SchedulerHarness.PIECES).boxed().toList());
      List<PieceDone> done = pieces(r).stream().map(p -> new PieceDone(p, CDN)).toList();

      ScheduleResponse last = h.report("a", done.subList(0, 7), List.of(), 0);
      assertThat(last.status()).as("one piece still outstanding").isEqualTo(Status.WAIT);
      ScheduleResponse end = h.report("a", done.subList(7, 8), List.of(), 16);

      assertThat(end.status()).isEqualTo(Status.DONE);
      assertThat(end.fileDigest()).isEqualTo(h.task.fileDigest());
      assertThat(end.pieceCount()).isEqualTo(SchedulerHarness.PIECES);
      assertThat(h.task.status()).isEqualTo(TaskStatus.SUCCESS);
      assertPeer(h, "a", "ACTIVE", 0);
      assertThat(h.peer("a").orElseThrow().piecesHave()).isEqualTo(SchedulerHarness.PIECES);
      assertThat(h.peer("a").orElseThrow().bytesFromCdn()).isEqualTo(h.task.layout().contentLength());
    }
  }

  @Test
  void aRequestWithNothingToAssignWaitsUntilItsLongPollEnds() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      assertThat(h.ask("a", 16).assignments()).hasSize(SchedulerHarness.PIECES);
      CompletableFuture<ScheduleResponse> parked =
          h.scheduler.schedule(h.task.id(), new ScheduleRequest("a", List.of(), List.of(), 1), SchedulerHarness.CDN);
      h.tick();
      assertThat(parked).as("every piece is out: nothing to give yet").isNotDone();

      h.clock.advance(h.config.longPollWait());
      h.tick();

      assertThat(get(parked).status()).isEqualTo(Status.WAIT);
    }
  }

  @Test
  void schedulingAnUnknownTaskOrPeerIsNotFound() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      assertFailsWith(ErrorCode.TASK_NOT_FOUND, () -> get(h.scheduler.schedule(TaskId.of("nope-1"),
          new ScheduleRequest("a", List.of(), List.of(), 1), SchedulerHarness.CDN)));
      assertFailsWith(ErrorCode.TASK_NOT_FOUND, () -> get(h.scheduler.views(TaskId.of("nope-1"))));
      assertFailsWith(ErrorCode.PEER_NOT_FOUND, () -> h.ask("stranger", 1));
    }
  }

  /**
   * A peer isolated while pieces were on their way to it, then gone: those pieces go to others from the CDN.
   * (Its assignments were counted as "on the way to an uploader", which keeps the CDN for them; the count
   * must be taken back as it was made, whatever the peer's state is by then.)
   */
  @Test
  void piecesOnTheirWayToAPeerIsolatedBeforeItLeftGoToOthers() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      h.join("b");
      assertThat(h.ask("a", SchedulerHarness.PIECES).assignments()).hasSize(SchedulerHarness.PIECES);
      h.report("b", List.of(), List.of(new PieceFailure(0, "a", FailureReason.DIGEST_MISMATCH,
          "bad bytes")), 0);
      assertPeer(h, "a", "ISOLATED", 1);

      assertThat(get(h.scheduler.leave(h.task.id(), "a"))).isTrue();

      assertThat(h.ask("b", SchedulerHarness.PIECES).assignments()).as("every piece, from the CDN")
          .hasSize(SchedulerHarness.PIECES).allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
    }
  }

  @Test
  void reportsOfPiecesOutsideTheFileAreRefused() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      assertThatThrownBy(() -> h.hold("a", SchedulerHarness.PIECES))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("done piece must be in [0, " + SchedulerHarness.PIECES + "), got " + SchedulerHarness.PIECES);
      assertThatThrownBy(() -> h.hold("a", -1))
          .isInstanceOf(IllegalArgumentException.class);
      h.hold("a", SchedulerHarness.PIECES - 1);
      assertPeer(h, "a", "ACTIVE", 0);
    }
  }

  /** Asserts one peer's line in the task view. */
  private static void assertPeer(SchedulerHarness h, String peerId, String state, int failures) {
    var v = h.peer(peerId).orElseThrow(() -> new AssertionError("peer " + peerId + " is not in the task view"));
    assertThat(v.state()).isEqualTo(state);
    assertThat(v.failures()).isEqualTo(failures);
  }
}
