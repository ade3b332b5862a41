package io.damselfly.peer.download.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.TaskId;
import io.damselfly.peer.PeerNode;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.TestFiles;
import io.damselfly.transport.ApiClient;
import io.damselfly.transport.ClusterAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers learn piece availability from the neighbors the supernode names, not per piece from the supernode. */
class NeighborsTest {
  private static final long SIZE = 64L << 20;

  @TempDir Path dir;

  @Test
  void aPeerServesItsPieceMapAndNeighborsPlanFromIt() throws Exception {
    try (Cluster cluster = Cluster.start(dir);
        ApiClient http = new ApiClient(ClusterAccess.NONE, 1, Duration.ofSeconds(5), Duration.ofMinutes(1))) {
      OriginFile file = cluster.serve("/n.bin", 8L << 20, 3);
      PeerNode a = cluster.node("a");
      ProgressEvent end = Cluster.run(a, cluster.download(file, dir.resolve("a.out")).build());
      TaskId task = TaskId.of(end.taskId());

      PieceMap map = cluster.http().getJson("http://127.0.0.1:" + a.uploadPort()
          + ProtocolV1.path(ProtocolV1.PIECE_MAP, task.value()), new com.fasterxml.jackson.core.type.TypeReference<PieceMap>() {});
      int pieces = (int) ((8L << 20) / map.pieceSize());
      assertThat(map.held().cardinality()).isEqualTo(pieces);

      java.util.concurrent.LinkedBlockingQueue<Object> events = new java.util.concurrent.LinkedBlockingQueue<>();
      Neighbors neighbors = new Neighbors(http, task, "me", Duration.ofSeconds(10),
          java.time.InstantSource.system(), events::add);
      neighbors.update(List.of(new Source(a.peerId(), "127.0.0.1", a.uploadPort()),
          new Source(ProtocolV1.CDN_SOURCE, "127.0.0.1", 1)));
      assertThat(neighbors.apply((Neighbors.MapAnswer) events.poll(10, java.util.concurrent.TimeUnit.SECONDS)))
          .as("the neighbor's map arrived").isTrue();
      List<Neighbors.Planned> plan = neighbors.plan(4, pieces, piece -> piece % 2 == 0);

      assertThat(plan).hasSize(4).allSatisfy(p -> {
        assertThat(p.piece() % 2).as("skipped pieces are not planned").isOne();
        assertThat(p.source().peerId()).as("the CDN is never a neighbor").isEqualTo(a.peerId());
      });
      assertThat(neighbors.highestHeld()).isEqualTo(pieces - 1);
      neighbors.close();
    }
  }

  @Test
  void aLateComerTakesEveryByteFromAPeerWithFarFewerRequestsThanPieces() throws Exception {
    try (Cluster cluster = Cluster.start(dir)) {
      OriginFile file = cluster.serve("/late.bin", SIZE, 5);
      PeerNode a = cluster.node("a");
      ProgressEvent first = Cluster.run(a, cluster.download(file, dir.resolve("a.out")).build());
      assertThat(first.exitCode()).as(first.message()).isZero();
      long before = cluster.task(first.taskId()).scheduleRequests();

      PeerNode b = cluster.node("b");
      ProgressEvent second = Cluster.run(b, cluster.download(file, dir.resolve("b.out")).build());

      assertThat(second.exitCode()).as(second.message()).isZero();
      assertThat(TestFiles.sha256(dir.resolve("b.out"))).isEqualTo(file.sha256());
      TaskView view = cluster.task(second.taskId());
      TaskView.PeerView pb = view.peers().stream().filter(p -> p.peerId().equals(b.peerId())).findFirst().orElseThrow();
      assertThat(pb.bytesFromPeers()).as("every byte came from the peer").isEqualTo(SIZE);
      assertThat(view.cdnBytes()).as("the CDN sent the file once").isEqualTo(SIZE);
      // b learns the pieces from its neighbor and reports them in batches (16 per request at most):
      // far fewer supernode requests than its 256 pieces, whatever the machine's speed.
      long requests = view.scheduleRequests() - before;
      assertThat(requests).as("schedule requests for b's 256 pieces").isLessThan(view.pieceCount() / 4);
    }
  }
}
