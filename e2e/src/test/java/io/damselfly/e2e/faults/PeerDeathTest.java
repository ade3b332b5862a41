package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third of the peers die ({@code kill -9} of their peer node and dfget) in the middle of a distribution:
 * every other peer still finishes with the right file, and the supernode releases what the dead held.
 */
class PeerDeathTest {
  private static final long SIZE = 24L << 20;
  private static final int PEERS = 6;
  private static final int DEAD = 2;
  private static final String PATH = "/peers.bin";
  private final Recorder recorder = new Recorder(PeerDeathTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  /** The host whose peer node uploads on {@code port}. */
  private static int hostOf(Sandbox sandbox, int port) {
    for (int i = 0; i < PEERS; i++) {
      var node = io.damselfly.peer.NodeFile.read(sandbox.homeOf("peer-" + i));
      if (node.isPresent() && node.get().uploadPort() == port) {
        return i;
      }
    }
    throw new AssertionError("no host's node uploads on port " + port);
  }

  @Test
  void survivorsFinishWithTheRightFileWhenAThirdOfThePeersAreKilled() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 31);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess supernode = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"),
            sandbox.logDir(), SupernodeProcess.smallPieces("--piece-timeout", "5", "--peer-ttl", "10"))) {
      String url = origin.url(PATH);
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(2));
      List<Path> outputs = new ArrayList<>();
      List<Integer> deadPorts = new ArrayList<>();
      List<Integer> deadHosts = new ArrayList<>();
      int[] heldAtDeath = new int[DEAD];
      List<Dfget.Result> survivors = new ArrayList<>();
      // a download cap stretches the distribution over seconds, so the kill lands in its middle
      List<Proc> procs = FaultKit.start(dfget, sandbox, "peer", PEERS, List.of("--url", url, "--node",
          supernode.node(), "--totallimit", "3M", "--piece-timeout", "2s"), outputs);
      try {
        // the victims: the first peers seen holding a quarter of the file, but not all of it
        TaskView mid = FaultKit.until("two peers to hold a quarter of the file", () -> supernode.taskFor(url)
            .filter(t -> t.peers().stream().filter(p -> p.piecesHave() >= t.pieceCount() / 4
                && p.piecesHave() < t.pieceCount()).count() >= DEAD));
        List<TaskView.PeerView> victims = mid.peers().stream()
            .filter(p -> p.piecesHave() >= mid.pieceCount() / 4 && p.piecesHave() < mid.pieceCount()).limit(DEAD).toList();
        for (int d = 0; d < DEAD; d++) {
          TaskView.PeerView v = victims.get(d);
          int host = hostOf(sandbox, v.port());
          deadHosts.add(host);
          deadPorts.add(v.port());
          heldAtDeath[d] = v.piecesHave();
          FaultKit.killHost(sandbox, "peer-" + host, procs.get(host));
        }
        List<Proc> living = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
          if (!deadHosts.contains(i)) {
            living.add(procs.get(i));
          }
        }
        survivors.addAll(FaultKit.awaitAll(living));
      } finally {
        procs.forEach(Proc::close);
      }
      TaskView after = FaultKit.until("the dead peers to be dropped", () -> {
        TaskView t = supernode.taskFor(url).orElseThrow();
        return deadPorts.stream().noneMatch(port -> FaultKit.peer(t, port).isPresent()) ? Optional.of(t) : Optional.empty();
      });

      long wrong = FaultKit.wrongBytes(outputs, sha256);
      int partial = 0;
      for (int i = 0; i < PEERS; i++) {
        partial += deadHosts.contains(i) ? (java.nio.file.Files.exists(outputs.get(i)) ? 1 : 0)
            : FaultKit.strayFiles(outputs.get(i).getParent(), outputs.get(i));
      }
      boolean allOk = survivors.stream().allMatch(r -> r.exitCode() == 0) && wrong == 0 && partial == 0;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("peers", PEERS);
      figures.put("killed", DEAD);
      figures.put("pieces the killed held", heldAtDeath[0] + "+" + heldAtDeath[1] + " of " + after.pieceCount());
      figures.put("survivors' bytes from peers", after.peers().stream().mapToLong(TaskView.PeerView::bytesFromPeers).sum());
      figures.put("origin bytes", origin.bodyBytes(PATH));
      recorder.record("survivorsFinish", "kill -9 of " + DEAD + " of " + PEERS + " peers (node and dfget) mid-distribution",
          allOk ? "the " + (PEERS - DEAD) + " others finished with the right file; the dead were dropped after the peer TTL"
              : "a survivor failed", allOk, 0, wrong, partial, FaultKit.crashed(supernode), 0, figures);

      for (Dfget.Result r : survivors) {
        assertThat(r.exitCode()).as("%s", r).isZero();
      }
      assertThat(wrong).as("wrong bytes in the survivors' files").isZero();
      assertThat(partial).as("files at the outputs of killed peers, and stray files next to the others").isZero();
      assertThat(after.peers()).as("only the survivors are left").hasSize(PEERS - DEAD);
      for (TaskView.PeerView p : after.peers()) {
        assertThat(p.bytesFromPeers() + p.bytesFromCdn()).as("bytes %s reported", p.peerId()).isEqualTo(SIZE);
      }
      assertThat(origin.bodyBytes(PATH)).as("the origin sent the file once").isEqualTo(SIZE);
      assertThat(supernode.proc().isAlive()).isTrue();
    }
  }
}
