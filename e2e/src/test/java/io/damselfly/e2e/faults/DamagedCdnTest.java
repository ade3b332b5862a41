package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supernode's stored copy is damaged on disk (a stray write) after a task and while one runs. Peers'
 * reports of the bad pieces make the CDN check them, withhold them, fetch them again from the origin and
 * serve them again; every download is right. When the origin cannot give the piece again, a
 * {@code --pattern cdn} download fails at once with exit 8, never waiting out its {@code --timeout}.
 */
class DamagedCdnTest {
  private static final long SIZE = 16L << 20;
  private static final String REPAIRED = "damselfly_cdn_repairs_total{outcome=\"repaired\"}";
  private static final String FAILED = "damselfly_cdn_repairs_total{outcome=\"failed\"}";
  private static final String CLAIMS = "damselfly_cdn_damage_claims_total{verdict=\"damaged\"}";
  private static final Recorder RECORDER = new Recorder(DamagedCdnTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aCopyDamagedAfterTheTaskIsRepairedFromTheOrigin() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha = TestFiles.write(file, SIZE, 61);
    int[] bad = {3, 20, 41};
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            SupernodeProcess.SMALL_PIECES)) {
      String url = origin.url("/f.bin");
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofSeconds(20));
      TaskView task = stored(dfget, sandbox, sn, url);
      damage(sandbox.homeOf("supernode"), task, bad);
      long originBefore = origin.bodyBytes("/f.bin");

      Path out = sandbox.dir("second").resolve("f.bin");
      Dfget.Result second = dfget.run("second", List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
          "--pattern", "cdn", "--timeout", "10m"));
      Path p2pOut = sandbox.dir("third").resolve("f.bin");
      Dfget.Result third = dfget.run("third", List.of("--url", url, "--output", p2pOut.toString(), "--node",
          sn.node(), "--timeout", "10m"));
      double repaired = sn.metric(REPAIRED);
      double claims = sn.metric(CLAIMS);
      long refetched = origin.bodyBytes("/f.bin") - originBefore;
      Path journal = cdnDir(sandbox.homeOf("supernode"), task).resolve("repairs");

      long wrong = FaultKit.wrongBytes(List.of(out, p2pOut), sha);
      int partial = FaultKit.strayFiles(List.of(out, p2pOut));
      boolean ok = second.exitCode() == 0 && third.exitCode() == 0 && wrong == 0 && partial == 0
          && repaired == bad.length && refetched == (long) bad.length * task.pieceSize();
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("pieces damaged", bad.length + " of " + task.pieceCount());
      figures.put("claims checked (damaged)", (long) claims);
      figures.put("pieces repaired", (long) repaired);
      figures.put("origin bytes for the repairs", refetched);
      figures.put("seconds of the two downloads (--timeout 600)", List.of(secs(second), secs(third)));
      RECORDER.record("afterTask", "the CDN's stored copy is damaged in place (3 pieces) after the task",
          ok ? "each bad piece was caught by the peer, checked, withheld, fetched again with Range + If-Range and "
              + "served again; both downloads right" : "failed: " + second + " / " + third,
          ok, refetched, wrong, partial, FaultKit.crashed(sn), bad.length, figures);

      assertThat(second.exitCode()).as("%s", second).isZero();
      assertThat(third.exitCode()).as("%s", third).isZero();
      assertThat(wrong).isZero();
      assertThat(partial).isZero();
      assertThat(repaired).isEqualTo(bad.length);
      assertThat(claims).isEqualTo(bad.length);
      assertThat(refetched).as("only the damaged pieces came again").isEqualTo((long) bad.length * task.pieceSize());
      assertThat(Files.readString(journal)).contains("\"outcome\":\"repaired\"");
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aCopyDamagedWhileTheTaskRunsIsRepairedAndPeersServeItMeanwhile() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha = TestFiles.write(file, SIZE, 62);
    int[] bad = {1, 2, 5, 8};
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file)
            .fault("/f.bin", OriginServer.Fault.throttle(2L << 20));
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            SupernodeProcess.SMALL_PIECES)) {
      String url = origin.url("/f.bin");
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofSeconds(20));
      List<Path> outputs = new ArrayList<>();
      List<Proc> procs = new ArrayList<>(FaultKit.start(dfget, sandbox, "early", 1,
          List.of("--url", url, "--node", sn.node(), "--timeout", "10m"), outputs));
      TaskView running = FaultKit.until("pieces past the damaged ones stored", () -> sn.taskFor(url)
          .filter(t -> t.piecesStored() > bad[bad.length - 1] + 2));
      damage(sandbox.homeOf("supernode"), running, bad);
      procs.addAll(FaultKit.start(dfget, sandbox, "late", 2, List.of("--url", url, "--node", sn.node(),
          "--timeout", "10m"), outputs));
      procs.addAll(FaultKit.start(dfget, sandbox, "cdn", 1, List.of("--url", url, "--node", sn.node(),
          "--pattern", "cdn", "--timeout", "10m"), outputs));
      List<Dfget.Result> results = FaultKit.awaitAll(procs);
      TaskView done = sn.taskFor(url).orElseThrow();
      double repaired = sn.metric(REPAIRED);

      long wrong = FaultKit.wrongBytes(outputs, sha);
      int partial = FaultKit.strayFiles(outputs);
      boolean ok = results.stream().allMatch(r -> r.exitCode() == 0) && wrong == 0 && partial == 0
          && repaired == bad.length;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("pieces damaged", bad.length + " of " + done.pieceCount() + " (after " + running.piecesStored()
          + " were stored)");
      figures.put("pieces repaired", (long) repaired);
      figures.put("downloads", results.size());
      figures.put("seconds of each (--timeout 600)", results.stream().map(DamagedCdnTest::secs).toList());
      RECORDER.record("duringTask", "the CDN's stored copy is damaged in place (4 pieces) while the task runs",
          ok ? "the cdn-pattern peer's reports got the pieces checked, withheld and fetched again; peers served "
              + "them meanwhile; every download right" : "failed: " + results,
          ok, (long) repaired * done.pieceSize(), wrong, partial, FaultKit.crashed(sn), bad.length, figures);

      for (Dfget.Result r : results) {
        assertThat(r.exitCode()).as("%s", r).isZero();
      }
      assertThat(wrong).isZero();
      assertThat(partial).isZero();
      assertThat(repaired).as("the cdn-pattern download fetched every damaged piece from the CDN")
          .isEqualTo(bad.length);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aPieceNoSourceCanGiveFailsACdnDownloadAtOnceWithExitEight() throws Exception {
    Path file = dir.resolve("f.bin");
    TestFiles.write(file, SIZE, 63);
    int bad = 10;
    try (Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            SupernodeProcess.SMALL_PIECES)) {
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofSeconds(20));
      String url;
      TaskView task;
      try (OriginServer origin = OriginServer.start().serve("/f.bin", file)) {
        url = origin.url("/f.bin");
        task = stored(dfget, sandbox, sn, url);
      } // the origin is gone: the damaged piece cannot be fetched again
      damage(sandbox.homeOf("supernode"), task, bad);

      Path out = sandbox.dir("second").resolve("f.bin");
      Dfget.Result r = dfget.run("second", List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
          "--pattern", "cdn", "--timeout", "10m"));
      double failed = sn.metric(FAILED);
      double claims = sn.metric(CLAIMS);

      int partial = FaultKit.strayFiles(out.getParent());
      boolean ok = r.exitCode() == DfgetExit.NO_VERIFIED_SOURCE.code() && !Files.exists(out) && partial == 0
          && r.stderr().contains("piece " + bad) && failed == 1 && claims == 1;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("claims checked", (long) claims);
      figures.put("repairs failed", (long) failed);
      figures.put("exit code", r.exitCode());
      figures.put("seconds to the exit (--timeout 600)", secs(r));
      RECORDER.record("unrepairable", "a CDN piece is damaged and its origin is gone; a --pattern cdn download with "
              + "--timeout 10m", ok ? "one claim, one failed repair, then exit 8 naming the piece; no output"
              : "failed: " + r, ok, 0, 0, partial + (Files.exists(out) ? 1 : 0), FaultKit.crashed(sn), 1, figures);

      assertThat(r.exitCode()).as("%s", r).isEqualTo(DfgetExit.NO_VERIFIED_SOURCE.code());
      assertThat(r.stderr()).contains("dfget: error:").contains("piece " + bad).contains("damaged");
      assertThat(out).doesNotExist();
      assertThat(partial).isZero();
      assertThat(claims).as("the piece was tried once from the CDN, then withheld").isEqualTo(1);
      assertThat(failed).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aP2pDownloadGoesBackToTheOriginWhenAPieceCannotBeRepaired() throws Exception {
    Path file = dir.resolve("f.bin");
    TestFiles.write(file, SIZE, 64);
    Path changed = dir.resolve("g.bin");
    Digest newSha = TestFiles.write(changed, SIZE, 65);
    int bad = 12;
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            SupernodeProcess.SMALL_PIECES)) {
      String url = origin.url("/f.bin");
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofSeconds(20));
      TaskView task = stored(dfget, sandbox, sn, url);
      origin.serve("/f.bin", changed); // a new version: the stored one's piece cannot be fetched again
      damage(sandbox.homeOf("supernode"), task, bad);

      Path out = sandbox.dir("second").resolve("f.bin");
      Dfget.Result r = dfget.run("second", List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
          "--timeout", "10m"));
      double failed = sn.metric(FAILED);

      long wrong = FaultKit.wrongBytes(List.of(out), newSha);
      int partial = FaultKit.strayFiles(List.of(out));
      boolean ok = r.exitCode() == 0 && wrong == 0 && partial == 0 && failed >= 1;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("repairs failed", (long) failed);
      figures.put("seconds (--timeout 600)", secs(r));
      figures.put("share from the origin", r.stdout().contains("100% from origin") ? "100%" : r.stdout().trim());
      RECORDER.record("backToSource", "a CDN piece is damaged and the origin now has a new version; a p2p download",
          ok ? "the repair failed (other digest), the supernode answered PIECE_UNAVAILABLE, the download went back to "
              + "the origin and got its current version whole" : "failed: " + r,
          ok, SIZE, wrong, partial, FaultKit.crashed(sn), 1, figures);

      assertThat(r.exitCode()).as("%s", r).isZero();
      assertThat(r.stdout()).contains("100% from origin");
      assertThat(wrong).as("the origin's current version, whole").isZero();
      assertThat(partial).isZero();
      assertThat(failed).isGreaterThanOrEqualTo(1);
    }
  }

  /** A download's wall time, one decimal (a figure, never asserted). */
  static double secs(Dfget.Result r) {
    return Math.round(r.elapsed().toMillis() / 100.0) / 10.0;
  }

  /** A first download with pattern cdn, which makes the supernode store the file; returns the stored task. */
  private static TaskView stored(Dfget dfget, Sandbox sandbox, SupernodeProcess sn, String url) throws Exception {
    Dfget.Result first = dfget.run("first", List.of("--url", url, "--output",
        sandbox.dir("first").resolve("f.bin").toString(), "--node", sn.node(), "--pattern", "cdn"));
    assertThat(first.exitCode()).as("%s", first).isZero();
    return sn.taskFor(url).orElseThrow();
  }

  private static Path cdnDir(Path home, TaskView task) {
    return home.resolve("supernode").resolve("cdn").resolve(task.taskId());
  }

  /** Overwrites a few bytes inside each of {@code pieces} of the CDN's data file. */
  private static void damage(Path home, TaskView task, int... pieces) throws Exception {
    try (FileChannel ch = FileChannel.open(cdnDir(home, task).resolve("data"), StandardOpenOption.WRITE)) {
      for (int p : pieces) {
        ch.write(ByteBuffer.wrap(new byte[] {0x5a, 0x5a, 0x5a, 0x5a}), (long) p * task.pieceSize() + 4321);
      }
    }
  }
}
