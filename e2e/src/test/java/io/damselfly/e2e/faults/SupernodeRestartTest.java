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
import java.nio.file.Files;
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
 * The supernode is killed ({@code kill -9}) while its CDN is still fetching a file that peers download.
 * The peers go on with the second supernode in their list and finish. Restarted on the same disk, the
 * first supernode resumes the fetch from the pieces it had verified and journaled, asking the origin
 * only for the rest.
 */
class SupernodeRestartTest {
  private static final long SIZE = 24L << 20;
  private static final int PEERS = 3;
  private static final String PATH = "/restart.bin";
  /** "sha256:" + 64 hex + newline per journaled piece. */
  private static final int JOURNAL_LINE = 72;
  private final Recorder recorder = new Recorder(SupernodeRestartTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void peersFinishThroughTheSecondSupernodeAndTheRestartedOneReusesItsPieces() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 61);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess b = SupernodeProcess.start(Jars.supernode(), sandbox.home("sn-b"), sandbox.dir("logs-b"),
            SupernodeProcess.SMALL_PIECES)) {
      origin.fault(PATH, OriginServer.Fault.throttle(6L << 20));
      String url = origin.url(PATH);
      Path homeA = sandbox.home("sn-a");
      SupernodeProcess a = SupernodeProcess.start(Jars.supernode(), homeA, sandbox.dir("logs-a"),
          SupernodeProcess.SMALL_PIECES);
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(2));
      List<Path> outputs = new ArrayList<>();
      List<Dfget.Result> results;
      TaskView beforeKill;
      List<Proc> procs = FaultKit.start(dfget, sandbox, "peer", PEERS, List.of("--url", url, "--node",
          a.node() + "," + b.node(), "--notbs"), outputs);
      try {
        beforeKill = FaultKit.until("the CDN to store a quarter of the file", () -> a.taskFor(url)
            .filter(t -> t.piecesStored() >= t.pieceCount() / 4));
        FaultKit.kill9(ProcessHandle.of(a.proc().pid()));
        results = FaultKit.awaitAll(procs);
      } finally {
        procs.forEach(Proc::close);
        a.close();
      }
      Path taskDir = homeA.resolve("supernode").resolve("cdn").resolve(beforeKill.taskId());
      long journaled = Files.size(taskDir.resolve("pieces")) / JOURNAL_LINE;
      long onDisk = Math.min(journaled * beforeKill.pieceSize(), Files.size(taskDir.resolve("data")));

      TaskView resumed;
      Dfget.Result late;
      long originBefore = origin.bodyBytes(PATH);
      origin.fault(PATH, OriginServer.Fault.NONE);
      try (SupernodeProcess restarted = SupernodeProcess.start(Jars.supernode(), homeA, sandbox.dir("logs-a2"),
          SupernodeProcess.SMALL_PIECES)) {
        Path out = sandbox.dir("out-late").resolve("f.bin");
        outputs.add(out);
        late = dfget.run("late", List.of("--url", url, "--output", out.toString(), "--node", restarted.node(),
            "--notbs"));
        resumed = FaultKit.until("the resumed task to finish", () -> restarted.taskFor(url)
            .filter(t -> t.status() == io.damselfly.protocol.TaskStatus.SUCCESS));
        assertThat(restarted.proc().isAlive()).isTrue();
      }

      long wrong = FaultKit.wrongBytes(outputs, sha256);
      int partial = 0;
      for (Path out : outputs) {
        partial += FaultKit.strayFiles(out.getParent(), out);
      }
      boolean ok = results.stream().allMatch(r -> r.exitCode() == 0) && late.exitCode() == 0 && wrong == 0
          && partial == 0 && resumed.originBytes() == SIZE - onDisk;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("pieces stored when killed", beforeKill.piecesStored() + " of " + beforeKill.pieceCount());
      figures.put("bytes reused from disk after restart", onDisk);
      figures.put("origin bytes after restart", resumed.originBytes());
      figures.put("origin bytes in all (two supernodes)", originBefore + resumed.originBytes());
      recorder.record("supernodeKilled", "kill -9 of the supernode while its CDN fetches; restart on the same disk",
          ok ? "peers finished via the second supernode; the restarted one resumed with Range from its verified pieces"
              : "see figures", ok, Math.max(0, originBefore - SIZE), wrong, partial, FaultKit.crashed(b), 0, figures);

      for (Dfget.Result r : results) {
        assertThat(r.exitCode()).as("%s", r).isZero();
      }
      assertThat(late.exitCode()).as("%s", late).isZero();
      assertThat(wrong).isZero();
      assertThat(partial).isZero();
      assertThat(onDisk).as("verified bytes the killed supernode left").isPositive();
      assertThat(resumed.originBytes()).as("origin bytes the restarted supernode fetched, with %d on its disk", onDisk)
          .isEqualTo(SIZE - onDisk);
      assertThat(Optional.of(b.proc().isAlive())).contains(true);
    }
  }
}
