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
 * A lying peer ({@link LiarPeer}) holds the whole file before honest peers start, so the scheduler names
 * it first. Every bad piece is caught by its digest in memory, fetched again from the next source and
 * reported; the supernode isolates the liar at its first proven bad piece and each honest peer stops
 * asking it at once; every file is right.
 */
class LyingPeerTest {
  private static final long SIZE = 16L << 20;
  private static final int HONEST = 3;
  /** Pieces one download fetches at once: the most a peer can have in flight when it catches the lie. */
  private static final int PARALLELISM = 4;
  private static final String PATH = "/liar.bin";
  private final Recorder recorder = new Recorder(LyingPeerTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void everyBadPieceIsCaughtAndTheLiarIsIsolated() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 51);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess supernode = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"),
            sandbox.logDir(), SupernodeProcess.SMALL_PIECES);
        LiarPeer liar = new LiarPeer()) {
      String url = origin.url(PATH);
      liar.join(supernode.node(), url);
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(2));
      List<Path> outputs = new ArrayList<>();
      List<Dfget.Result> results = FaultKit.awaitAll(FaultKit.start(dfget, sandbox, "honest", HONEST,
          List.of("--url", url, "--node", supernode.node()), outputs));
      TaskView task = supernode.taskFor(url).orElseThrow();
      TaskView.PeerView liarView = task.peers().stream().filter(p -> p.peerId().equals(liar.peerId())).findFirst()
          .orElseThrow();

      long wrong = FaultKit.wrongBytes(outputs, sha256);
      int partial = FaultKit.strayFiles(outputs);
      Map<String, Integer> served = liar.badPiecesByRequester();
      boolean ok = results.stream().allMatch(r -> r.exitCode() == 0) && wrong == 0 && partial == 0
          && liarView.state().equals("ISOLATED") && liar.badPieces() > 0
          && served.values().stream().allMatch(n -> n <= PARALLELISM);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("bad pieces served", liar.badPieces());
      figures.put("per honest peer", served.values());
      figures.put("failures reported against the liar", liarView.failures());
      recorder.record("liarIsolated", "a peer serves every piece with one byte flipped to " + HONEST + " honest peers",
          ok ? "every bad piece failed its digest in memory, came again from the next source; liar isolated"
              : "liar " + liarView.state() + ", bad pieces " + served, ok, (long) liar.badPieces() * task.pieceSize(),
          wrong, partial, FaultKit.crashed(supernode), liar.badPieces(), figures);

      for (Dfget.Result r : results) {
        assertThat(r.exitCode()).as("%s", r).isZero();
      }
      assertThat(wrong).as("wrong bytes delivered").isZero();
      assertThat(partial).isZero();
      assertThat(liar.badPieces()).as("the liar was asked (else this test proves nothing)").isPositive();
      assertThat(liarView.state()).isEqualTo("ISOLATED");
      assertThat(served.values()).as("bad pieces each honest peer asked for: only those in flight when it caught "
          + "the first").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PARALLELISM));
    }
  }
}
