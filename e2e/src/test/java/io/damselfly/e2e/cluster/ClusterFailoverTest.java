package io.damselfly.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.RedisProcess;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two and three real supernode processes sharing one real redis-server. A fast peer downloads a file, slow
 * peers start; while they are mid-way the supernode owning the task is killed with SIGKILL. The slow peers
 * carry on with the next owner, which takes the task over from the pieces the peers hold: every output is
 * correct and the origin still sent the file exactly once.
 */
class ClusterFailoverTest {
  private static final long SIZE = 24L << 20;
  private static final String PATH = "/cluster.bin";
  private static final int SLOW_PEERS = 3;
  /** Slow enough (24 s for the file) that the slow peers overlap however late the machine starts their JVMs. */
  private static final String SLOW_RATE = "1M";
  private static final Duration KEEPALIVE = Duration.ofMinutes(3);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @ParameterizedTest(name = "{0} supernodes")
  @ValueSource(ints = {2, 3})
  void killingTheOwnerMidDistributionLosesNoDownloadAndNoOriginByte(int supernodes) throws Exception {
    Path file = dir.resolve("cluster.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 91);
    try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
        OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"))) {
      List<SupernodeProcess> nodes = new ArrayList<>();
      List<Proc> running = new ArrayList<>();
      try {
        for (int i = 0; i < supernodes; i++) {
          nodes.add(SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode-" + i), sandbox.logDir(),
              SupernodeProcess.smallPieces("--store", redis.uri(), "--cluster-id", "failover", "--member-ttl", "3")));
        }
        String nodeList = String.join(",", nodes.stream().map(SupernodeProcess::node).toList());
        Dfget dfget = new Dfget(Jars.dfget(), sandbox, KEEPALIVE);
        Path fastOut = sandbox.dir("out-fast").resolve("f.bin");
        Dfget.Result fast = dfget.run("peer-fast", List.of("--url", origin.url(PATH), "--output", fastOut.toString(),
            "--node", nodeList));
        assertThat(fast.exitCode()).as("%s", fast).isZero();
        SupernodeProcess owner = ownerOf(nodes, origin.url(PATH)).orElseThrow();
        assertThat(owner.taskFor(origin.url(PATH)).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);

        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < SLOW_PEERS; i++) {
          Path out = sandbox.dir("out-" + i).resolve("f.bin");
          outs.add(out);
          running.add(dfget.start("peer-slow-" + i, List.of("--url", origin.url(PATH), "--output", out.toString(),
              "--node", nodeList, "--locallimit", SLOW_RATE)));
        }
        awaitSlowPeersMidWay(owner, origin.url(PATH));
        Thread.sleep(2500); // two holder publications: the store knows every peer's pieces
        killHard(owner);

        outs.add(fastOut);
        assertTakenOver(running, outs, sha256, origin, PATH, SIZE, nodes.stream().filter(n -> n != owner).toList());
      } finally {
        running.forEach(Proc::close);
        nodes.forEach(SupernodeProcess::close);
      }
    }
  }

  /**
   * After the owner's death: every slow dfget ({@code slow}) ended well without the origin, every output
   * ({@code outs}, the slow ones first) has the file's digest, the origin sent the file once, and a survivor
   * owns the task, complete, taken from the cluster rather than the origin.
   */
  static void assertTakenOver(List<Proc> slow, List<Path> outs, Digest sha256, OriginServer origin, String path,
      long size, List<SupernodeProcess> survivors) throws Exception {
    for (Proc p : slow) {
      Dfget.Result r = Dfget.await(p);
      assertThat(r.exitCode()).as("%s", r).isZero();
      assertThat(r.stdout()).as("%s", r).doesNotContain("from the origin");
    }
    for (Path out : outs) {
      assertThat(TestFiles.sha256(out)).as("SHA-256 of %s", out).isEqualTo(sha256);
    }
    assertThat(origin.bodyBytes(path)).as("body bytes the origin sent").isEqualTo(size);
    SupernodeProcess next = ownerOf(survivors, origin.url(path)).orElseThrow();
    TaskView taken = next.taskFor(origin.url(path)).orElseThrow();
    assertThat(taken.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(taken.originBytes()).as("the new owner took the file from the cluster, not the origin").isZero();
  }

  static Optional<SupernodeProcess> ownerOf(List<SupernodeProcess> nodes, String url) throws Exception {
    for (SupernodeProcess n : nodes) {
      if (n.proc().isAlive() && n.taskFor(url).isPresent()) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** Waits (two minutes at most: JVMs start slowly on a loaded machine) until every slow peer is mid-way. */
  static void awaitSlowPeersMidWay(SupernodeProcess owner, String url) throws Exception {
    for (int i = 0; i < 2400; i++) {
      TaskView v = owner.taskFor(url).orElseThrow();
      long started = v.peers().stream().filter(p -> p.bytesFromPeers() + p.bytesFromCdn() > 0
          && p.piecesHave() < v.pieceCount()).count();
      if (started >= SLOW_PEERS) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the slow peers did not start: " + owner.taskFor(url));
  }

  static void killHard(SupernodeProcess node) throws Exception {
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(node.proc().pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
    for (int i = 0; i < 200 && node.proc().isAlive(); i++) {
      Thread.sleep(50);
    }
    assertThat(node.proc().isAlive()).as("the killed supernode is gone").isFalse();
  }
}
