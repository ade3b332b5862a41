package io.damselfly.peer.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.peer.testkit.Await;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.FakePeer;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that claims every piece and then serves garbage, or nothing, is caught (by the piece
 * digests, by the piece timeout) and isolated, and the download still succeeds from the supernode.
 */
class BadPeerTest {
  private static final long SIZE = 4L << 20;
  private static final String BAD = "bad-peer";

  @TempDir Path dir;

  @Test
  void aPeerServingCorruptPiecesIsIsolatedAtOnce() throws Exception {
    try (Cluster cluster = Cluster.start(dir); FakePeer bad = FakePeer.corrupt(SIZE)) {
      TaskView.PeerView seen = downloadPast(cluster, bad);
      assertThat(seen.state()).isEqualTo("ISOLATED");
      assertThat(seen.failures()).as("one wrong piece is proof enough").isOne();
    }
  }

  @Test
  void aPeerThatNeverAnswersTimesOutAndIsIsolated() throws Exception {
    try (Cluster cluster = Cluster.start(dir); FakePeer bad = FakePeer.stalling()) {
      TaskView.PeerView seen = downloadPast(cluster, bad);
      assertThat(seen.state()).isEqualTo("ISOLATED");
      assertThat(seen.failures()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aBusyPeerIsWaitedForThenTheCdnServesAndTheBusyPeerIsNeitherBlamedNorIsolated() throws Exception {
    try (Cluster cluster = Cluster.start(dir); FakePeer busy = FakePeer.busy()) {
      long start = System.nanoTime();
      TaskView.PeerView seen = downloadPast(cluster, busy);
      assertThat(seen.state()).isEqualTo("ACTIVE");
      assertThat(seen.failures()).as("busy is no failure").isZero();
      assertThat(busy.asked()).as("asked again while it stayed busy, before the CDN took over")
          .isGreaterThan(2 * (int) (SIZE / (256 * 1024)));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("each piece waited for the busy peer before the CDN served it")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  /**
   * Registers {@code bad} as holding every piece of a file, downloads the file on a real node whose
   * pieces time out after half a second, checks the download, and returns the bad peer as the
   * supernode sees it afterwards.
   */
  private TaskView.PeerView downloadPast(Cluster cluster, FakePeer bad) throws Exception {
    OriginFile file = cluster.serve("/bad-peer.bin", SIZE, 77);
    RegisterResponse task = cluster.http().postJson(cluster.api(ProtocolV1.REGISTER),
        new RegisterRequest(file.url(), null, null, null, null, new PeerAddress(BAD, "127.0.0.1", bad.port())),
        RegisterResponse.class);
    Await.until("the supernode stored the file", () -> cluster.task(task.taskId()).status() == TaskStatus.SUCCESS);
    List<PieceDone> everything = IntStream.range(0, task.pieceCount())
        .mapToObj(p -> new PieceDone(p, ProtocolV1.CDN_SOURCE)).toList();
    ScheduleResponse claimed = cluster.http().postJson(cluster.api(ProtocolV1.path(ProtocolV1.SCHEDULE, task.taskId())),
        new ScheduleRequest(BAD, everything, List.of(), 0), ScheduleResponse.class);
    assertThat(claimed.status()).isEqualTo(ScheduleResponse.Status.DONE);

    Path output = Files.createDirectories(dir.resolve("out")).resolve("f.bin");
    var node = cluster.node("victim", c -> c.withTimings(Duration.ofMillis(500), Duration.ofSeconds(20)));
    ProgressEvent end = Cluster.run(node, cluster.download(file, output).build());

    assertThat(end.type()).as(end.message()).isEqualTo(ProgressEvent.Type.DONE);
    assertThat(TestFiles.sha256(output)).isEqualTo(file.sha256());
    assertThat(end.fromPeers()).isZero();
    assertThat(end.fromCdn()).isEqualTo(SIZE);
    assertThat(bad.asked()).as("the bad peer was asked").isPositive();
    TaskView.PeerView seen = cluster.task(task.taskId()).peers().stream()
        .filter(p -> p.peerId().equals(BAD)).findFirst().orElseThrow();
    assertThat(seen.bytesUploaded()).isZero();
    return seen;
  }
}
