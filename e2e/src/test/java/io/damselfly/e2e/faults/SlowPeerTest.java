package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer whose uploads are throttled to a trickle holds the whole file before the others start, so the
 * scheduler first names it as a source. Its uploads time out, the next source serves each piece, and once
 * it is seen to be slow it is isolated: it gets no more assignments and the others finish.
 */
class SlowPeerTest {
  private static final long SIZE = 16L << 20;
  private static final int FAST = 3;
  private static final String PATH = "/slow-peer.bin";
  private final Recorder recorder = new Recorder(SlowPeerTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void aPeerThatUploadsAtATrickleIsIsolatedAndTheOthersFinish() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 41);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess supernode = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"),
            sandbox.logDir(), SupernodeProcess.SMALL_PIECES)) {
      String url = origin.url(PATH);
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(3));
      Path slowOut = sandbox.dir("out-slow").resolve("f.bin");
      Dfget.Result slow = dfget.run("slow", List.of("--url", url, "--output", slowOut.toString(),
          "--node", supernode.node(), "--upload-limit", "24K"));
      assertThat(slow.exitCode()).as("%s", slow).isZero();
      int slowPort = FaultKit.uploadPort(sandbox, "slow");

      List<Path> outputs = new ArrayList<>();
      List<Dfget.Result> results = FaultKit.awaitAll(FaultKit.start(dfget, sandbox, "fast", FAST,
          List.of("--url", url, "--node", supernode.node(), "--piece-timeout", "2s"), outputs));
      TaskView task = supernode.taskFor(url).orElseThrow();
      TaskView.PeerView slowView = FaultKit.peer(task, slowPort).orElseThrow();

      long wrong = FaultKit.wrongBytes(outputs, sha256);
      int partial = FaultKit.strayFiles(outputs);
      boolean ok = results.stream().allMatch(r -> r.exitCode() == 0) && wrong == 0 && partial == 0
          && slowView.state().equals("ISOLATED");
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("slow peer upload cap", "24 KiB/s");
      figures.put("its failed uploads", slowView.failures());
      figures.put("bytes it uploaded", slowView.bytesUploaded());
      figures.put("fast peers' seconds", results.stream().map(r -> String.format("%.1f", r.elapsed().toMillis() / 1000.0)).toList());
      recorder.record("slowPeerIsolated", "one peer uploads at 24 KiB/s while " + FAST + " others fetch from it",
          ok ? "its uploads timed out (2 s), each piece came from the next source, it was isolated; the others finished"
              : "state " + slowView.state(), ok, slowView.failures() * (long) task.pieceSize(), wrong, partial,
          FaultKit.crashed(supernode), slowView.failures(), figures);

      for (Dfget.Result r : results) {
        assertThat(r.exitCode()).as("%s", r).isZero();
      }
      assertThat(wrong).isZero();
      assertThat(partial).isZero();
      assertThat(slowView.state()).as("the slow peer, after %d failed uploads", slowView.failures()).isEqualTo("ISOLATED");
      for (TaskView.PeerView p : task.peers()) {
        if (p.port() != slowPort) {
          assertThat(p.bytesFromPeers() + p.bytesFromCdn()).isEqualTo(SIZE);
        }
      }
    }
  }
}
