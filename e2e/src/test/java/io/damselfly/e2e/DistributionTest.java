package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.damselfly.common.Digest;
import io.damselfly.peer.NodeFile;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job: one origin, one supernode and four dfget processes (four simulated hosts, each with its
 * own home and background peer node) download one 64 MiB file at the same time.
 */
class DistributionTest {
  private static final long SIZE = 64L << 20;
  private static final int PEERS = 4;
  private static final String PATH = "/big.bin";
  /**
   * A finished peer keeps serving the others, and stays in the task's statistics, until its node has
   * been idle this long; the test stops the nodes itself at the end.
   */
  private static final Duration KEEPALIVE = Duration.ofMinutes(3);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void fourPeersGetTheFileWhichTheOriginSendsOnceAndPeersShareIt() throws Exception {
    Path file = dir.resolve("big.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 64);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess supernode =
            SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(), List.of())) {
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, KEEPALIVE);
      List<Path> outputs = new ArrayList<>();
      List<Dfget.Result> results = new ArrayList<>();
      List<Proc> running = new ArrayList<>();
      try {
        for (int i = 0; i < PEERS; i++) {
          Path out = sandbox.dir("out-" + i).resolve("big.bin");
          outputs.add(out);
          List<String> args = new ArrayList<>(List.of("--url", origin.url(PATH), "--output", out.toString(),
              "--node", supernode.node()));
          if (i == 0) {
            args.add("--showbar");
          }
          running.add(dfget.start("peer-" + i, args));
        }
        for (Proc p : running) {
          results.add(Dfget.await(p));
        }
      } finally {
        running.forEach(Proc::close);
      }

      for (int i = 0; i < PEERS; i++) {
        Dfget.Result r = results.get(i);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).as("%s", r).contains("dfget: downloaded 64.0 MiB").contains("-> " + outputs.get(i));
        assertThat(TestFiles.sha256(outputs.get(i))).as("SHA-256 of %s", outputs.get(i)).isEqualTo(sha256);
      }
      assertThat(results.get(0).stderr()).as("the progress bar of --showbar")
          .contains("] 100% 64.0 MiB/64.0 MiB");
      assertThat(results.get(1).stderr()).as("no bar without --showbar").doesNotContain("ETA");
      assertThat(origin.bodyBytes(PATH)).as("body bytes the origin sent").isEqualTo(SIZE);

      TaskView task = supernode.taskFor(origin.url(PATH)).orElseThrow();
      assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(task.fileDigest()).isEqualTo(sha256.toString());
      assertThat(task.peers()).hasSize(PEERS);
      long fromPeers = 0;
      long delivered = 0;
      for (TaskView.PeerView p : task.peers()) {
        assertThat(p.bytesFromPeers() + p.bytesFromCdn()).as("bytes reported by %s", p.peerId()).isEqualTo(SIZE);
        fromPeers += p.bytesFromPeers();
        delivered += p.bytesFromPeers() + p.bytesFromCdn();
      }
      System.out.printf("peers sent %d of %d delivered bytes (%d%%); per peer: %s%n", fromPeers, delivered,
          100 * fromPeers / delivered, task.peers());
      // Every piece reaches the first peer from the supernode; after that the scheduler names peers that
      // hold it before the CDN, so most copies travel between peers. A quarter is far below what that
      // gives on any machine, and far above what a CDN-only download (0) would report.
      assertThat(fromPeers).as("bytes peers got from each other, of %d delivered", delivered)
          .isGreaterThanOrEqualTo(delivered / 4);
      assertThat(task.cdnBytes()).as("bytes the supernode sent").isGreaterThanOrEqualTo(delivered - fromPeers);

      // The --showbar peer's summary line tells the share the supernode recorded for it.
      int uploadPort = NodeFile.read(sandbox.homeOf("peer-0")).orElseThrow().uploadPort();
      TaskView.PeerView shown = task.peers().stream().filter(p -> p.port() == uploadPort).findFirst().orElseThrow();
      Matcher m = Pattern.compile("(\\d+)% from peers, (\\d+)% from supernode, 0% from origin")
          .matcher(results.get(0).stdout());
      assertThat(m.find()).as("%s", results.get(0)).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isCloseTo((int) (100 * shown.bytesFromPeers() / SIZE), within(1));
    }
  }
}
