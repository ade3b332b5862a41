package io.damselfly.peer.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.peer.PeerNode;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three host nodes fetch one file at once from a real supernode and from each other. */
class P2pDownloadTest {
  private static final long SIZE = 24L << 20;

  @TempDir Path dir;

  @Test
  void threePeersShareOneFileThatTheOriginSendsOnce() throws Exception {
    try (Cluster cluster = Cluster.start(dir)) {
      OriginFile file = cluster.serve("/shared.bin", SIZE, 24);
      Path outputs = Files.createDirectories(dir.resolve("outputs"));
      List<String> names = List.of("a.bin", "b.bin", "c.bin");
      List<PeerNode> nodes = names.stream().map(n -> cluster.node("home-" + n)).toList();

      List<ProgressEvent> ends = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<ProgressEvent>> runs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          PeerNode node = nodes.get(i);
          var request = cluster.download(file, outputs.resolve(names.get(i))).build();
          runs.add(pool.submit(() -> Cluster.run(node, request)));
        }
        for (Future<ProgressEvent> r : runs) {
          ends.add(r.get());
        }
      }

      for (ProgressEvent end : ends) {
        assertThat(end.type()).as(end.message()).isEqualTo(ProgressEvent.Type.DONE);
        assertThat(end.exitCode()).isZero();
        assertThat(end.totalBytes()).isEqualTo(SIZE);
        assertThat(end.doneBytes()).isEqualTo(SIZE);
        assertThat(end.fromSource()).isZero();
      }
      for (String name : names) {
        assertThat(TestFiles.sha256(outputs.resolve(name))).as(name).isEqualTo(file.sha256());
      }
      assertThat(Cluster.namesIn(outputs)).as("no temporary file is left").containsExactlyElementsOf(names);
      assertThat(cluster.origin().bodyBytes(file.path())).as("the origin sent the file once").isEqualTo(SIZE);

      TaskView view = cluster.task(ends.get(0).taskId());
      assertThat(view.fileDigest()).isEqualTo(file.sha256().toString());
      assertThat(view.peers()).extracting(TaskView.PeerView::peerId)
          .containsExactlyInAnyOrderElementsOf(nodes.stream().map(PeerNode::peerId).toList());
      assertThat(view.peers()).allSatisfy(p -> {
        assertThat(p.piecesHave()).isEqualTo(view.pieceCount());
        assertThat(p.port()).isPositive();
      });
      long fromPeers = view.peers().stream().mapToLong(TaskView.PeerView::bytesFromPeers).sum();
      assertThat(fromPeers).as("bytes peers got from each other").isPositive();
      assertThat(ends.stream().mapToLong(ProgressEvent::fromPeers).sum()).isEqualTo(fromPeers);
      assertThat(view.peers()).as("every piece reported once")
          .allSatisfy(p -> assertThat(p.bytesFromPeers() + p.bytesFromCdn()).isEqualTo(SIZE));
      assertThat(view.originBytes()).isEqualTo(SIZE);
    }
  }
}
