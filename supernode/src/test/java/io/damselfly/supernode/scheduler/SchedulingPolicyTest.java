package io.damselfly.supernode.scheduler;

import static io.damselfly.supernode.scheduler.SchedulerHarness.all;
import static io.damselfly.supernode.scheduler.SchedulerHarness.get;
import static io.damselfly.supernode.scheduler.SchedulerHarness.pieces;
import static io.damselfly.supernode.scheduler.SchedulerHarness.primaries;
import static io.damselfly.supernode.scheduler.SchedulerHarness.sourceIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.ScheduleResponse.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which piece a peer gets and from whom: rarest first, peers before the CDN, bounded and balanced uploads. */
class SchedulingPolicyTest {
  private static final String CDN = ProtocolV1.CDN_SOURCE;

  @TempDir Path dir;

  @Test
  void rarestPiecesComeFirst() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir, c -> c.withLimits(16, Duration.ofSeconds(60)))) {
      h.join("a");
      h.join("b");
      h.join("c");
      h.hold("a", 0, 1, 2, 3);
      h.hold("b", 0, 1);

      ScheduleResponse r = h.ask("c", 8);

      assertThat(r.status()).isEqualTo(Status.ASSIGNED);
      List<Integer> order = pieces(r);
      assertThat(order).hasSize(8);
      assertThat(order.subList(0, 4)).as("pieces nobody holds").containsExactlyInAnyOrder(4, 5, 6, 7);
      assertThat(order.subList(4, 6)).as("pieces one peer holds").containsExactlyInAnyOrder(2, 3);
      assertThat(order.subList(6, 8)).as("pieces two peers hold").containsExactlyInAnyOrder(0, 1);
    }
  }

  @Test
  void aPeerHoldingThePieceIsPreferredOverTheCdn() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      h.join("c");
      h.hold("a", 5);

      ScheduleResponse r = h.ask("c", 8);

      Assignment five = r.assignments().stream().filter(x -> x.piece() == 5).findFirst().orElseThrow();
      assertThat(sourceIds(five)).containsExactly("a", CDN);
      assertThat(five.sources().get(0).port()).isEqualTo(40_000);
      assertThat(five.digest()).isEqualTo(h.task.digest(5));
      assertThat(r.assignments()).filteredOn(x -> x.piece() != 5)
          .allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
    }
  }

  @Test
  void aPeerThatDoesNotUploadIsNeverASource() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("quiet", 0);
      h.join("c");
      h.holdAll("quiet");

      ScheduleResponse r = h.ask("c", 8);

      assertThat(r.assignments()).hasSize(8).allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
    }
  }

  @Test
  void aPeerServesAtMostMaxUploadsAssignmentsAtOnce() throws Exception {
    int max = 2;
    try (SchedulerHarness h = SchedulerHarness.start(dir, c -> c.withLimits(max, Duration.ofSeconds(60)))) {
      h.join("a");
      h.holdAll("a");
      for (String p : List.of("c", "d", "e", "f")) {
        h.join(p);
      }

      ScheduleResponse c = h.ask("c", 8);

      // a serves at most max pieces at once; pieces only busy a holds are not sent to the CDN
      assertThat(primaries(c)).containsExactly("a", "a");
      var d = h.askLater("d", 8);
      assertThat(d).as("d waits: a is busy and holds every piece").isNotDone();

      // c reports one piece it got from a: a has one free slot again, and d gets it and only it
      // (plus that piece from c, which now holds it and uploads)
      h.report("c", List.of(new PieceDone(c.assignments().get(0).piece(), "a")), List.of(), 0);
      assertThat(primaries(get(d))).filteredOn("a"::equals).hasSize(1);
    }
  }

  @Test
  void aPieceOnItsWayToAnUploadingPeerIsNotSentFromTheCdnTwice() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("c");
      h.join("d");
      ScheduleResponse c = h.ask("c", 8);
      assertThat(c.assignments()).hasSize(8).allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));

      var d = h.askLater("d", 8);
      assertThat(d).as("every piece is on its way to c").isNotDone();

      int first = c.assignments().get(0).piece();
      h.report("c", List.of(new PieceDone(first, CDN)), List.of(), 0);
      ScheduleResponse got = get(d);
      assertThat(pieces(got)).containsExactly(first);
      assertThat(primaries(got)).containsExactly("c");
    }
  }

  @Test
  void aPieceFetchedByAPeerThatDoesNotUploadMayGoToOthersFromTheCdn() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("quiet", 0);
      h.join("d");
      assertThat(h.ask("quiet", 8).assignments()).hasSize(8);

      assertThat(h.ask("d", 8).assignments()).hasSize(8)
          .allSatisfy(x -> assertThat(sourceIds(x)).containsExactly(CDN));
    }
  }

  @Test
  void theLessLoadedPeerIsChosenFirst() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir)) {
      h.join("a");
      h.join("b");
      h.join("c");
      h.join("d");
      h.holdAll("a");
      ScheduleResponse loadA = h.ask("c", 3);
      assertThat(primaries(loadA)).containsExactly("a", "a", "a");
      h.holdAll("b");

      ScheduleResponse r = h.ask("d", 3);

      assertThat(primaries(r)).containsExactly("b", "b", "b");
      assertThat(r.assignments()).allSatisfy(x -> assertThat(sourceIds(x)).containsExactly("b", "a", CDN));
    }
  }

  @Test
  void anUnreportedAssignmentGivesItsUploadSlotBackAfterThePieceTimeout() throws Exception {
    try (SchedulerHarness h = SchedulerHarness.start(dir, c -> c.withLimits(1, Duration.ofMinutes(10)))) {
      var d = h.takeTheOnlyUploadSlotOfA();

      h.clock.advance(h.config.pieceTimeout().plusSeconds(1));
      h.tick();

      ScheduleResponse first = get(d);
      ScheduleResponse r = first.status() == ScheduleResponse.Status.WAIT ? h.ask("d", 1) : first;
      assertThat(primaries(r)).containsExactly("a");
    }
  }
}
