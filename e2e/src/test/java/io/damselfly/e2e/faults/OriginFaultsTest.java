package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.Stage;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Origin faults while peers wait: a body that breaks off (resumed with Range), error statuses (a clear
 * error to every waiting peer, nothing cached), and a file that changes during the task (never a file
 * made of two versions). One supernode serves the class; every test has its own origin path.
 */
class OriginFaultsTest {
  private static final long SIZE = 16L << 20;
  private static final long DROP_AT = (6L << 20) + 1000;
  private static final int PIECE = 256 * 1024;
  private static final Recorder RECORDER = new Recorder(OriginFaultsTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  private static Stage stage;
  private static OriginServer origin;
  private static Sandbox sandbox;
  private static SupernodeProcess supernode;
  private static Dfget dfget;
  private static Path v1;
  private static Path v2;
  private static Digest sha1;
  private static Digest sha2;

  @BeforeAll
  static void start() throws Exception {
    v1 = dir.resolve("v1.bin");
    v2 = dir.resolve("v2.bin");
    sha1 = TestFiles.write(v1, SIZE, 71);
    sha2 = TestFiles.write(v2, SIZE, 72);
    stage = Stage.start(dir.resolve("run"));
    origin = stage.origin();
    sandbox = stage.sandbox();
    supernode = stage.supernode();
    dfget = stage.dfget();
  }

  @AfterAll
  static void stop() {
    if (stage != null) {
      stage.close();
    }
  }

  /** Runs {@code n} dfget hosts at once for {@code url}, each into its own directory. */
  private static List<Dfget.Result> peers(String tag, String url, int n, List<Path> outputs) throws Exception {
    return FaultKit.awaitAll(FaultKit.start(dfget, sandbox, tag, n, List.of("--url", url, "--node", supernode.node()),
        outputs));
  }

  private static int stray(List<Path> outputs) throws Exception {
    return FaultKit.strayFiles(outputs);
  }

  @Test
  void aBodyThatBreaksOffIsResumedWithRangeFromTheLastStoredPiece() throws Exception {
    origin.serve("/drop.bin", v1).dropOnce("/drop.bin", DROP_AT, () -> { });
    List<Path> outputs = new ArrayList<>();

    List<Dfget.Result> results = peers("drop", origin.url("/drop.bin"), 2, outputs);

    long wrong = FaultKit.wrongBytes(outputs, sha1);
    // The resume starts at the end of the last piece the CDN stored. That is the piece boundary below DROP_AT,
    // or an earlier one: the origin's dropped connection may be reset, and a reset discards bytes the CDN's
    // socket had received but not yet read.
    List<String> ranges = origin.header("/drop.bin", "Range").stream().filter(r -> !r.isEmpty()).toList();
    long resumedAt = ranges.size() == 1 && ranges.get(0).matches("bytes=\\d+-")
        ? Long.parseLong(ranges.get(0).substring(6, ranges.get(0).length() - 1)) : -1;
    long expectedOrigin = DROP_AT + SIZE - resumedAt;
    boolean ok = results.stream().allMatch(r -> r.exitCode() == 0) && wrong == 0
        && origin.bodyBytes("/drop.bin") == expectedOrigin;
    RECORDER.record("bodyBreaksOff", "the origin drops the connection after 6 MiB of 16 MiB", ok
            ? "the CDN resumed with Range (If-Range) from the last stored piece; both peers got the file" : "failed",
        ok, origin.bodyBytes("/drop.bin") - SIZE, wrong, stray(outputs), FaultKit.crashed(supernode), 1,
        Map.of("origin bytes", origin.bodyBytes("/drop.bin"), "origin requests", origin.requests("/drop.bin"),
            "resumed at", resumedAt));

    results.forEach(r -> assertThat(r.exitCode()).as("%s", r).isZero());
    assertThat(wrong).isZero();
    assertThat(stray(outputs)).isZero();
    assertThat(ranges).as("one resumed request").hasSize(1);
    assertThat(resumedAt).as("resumed at a piece boundary after the stored pieces, %s", ranges)
        .isPositive().isLessThanOrEqualTo(DROP_AT).matches(at -> at % PIECE == 0);
    assertThat(origin.bodyBytes("/drop.bin")).as("only the bytes after the last stored piece were sent twice")
        .isEqualTo(expectedOrigin);
  }

  @Test
  void errorStatusesReachEveryWaitingPeerAndNothingIsCached() throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    int clear = 0;
    int stray = 0;
    int tried = 0;
    for (int status : new int[] {500, 503, 404}) {
      String path = "/status-" + status + ".bin";
      if (status != 404) {
        origin.serve(path, v1).fault(path, OriginServer.Fault.status(status));
      }
      List<Path> outputs = new ArrayList<>();
      List<Dfget.Result> results = peers("s" + status, origin.url(path), 3, outputs);
      for (Dfget.Result r : results) {
        tried++;
        clear += r.exitCode() == DfgetExit.ORIGIN_ERROR.code() && r.stderr().contains(Integer.toString(status)) ? 1 : 0;
      }
      stray += stray(outputs);
      figures.put(status + ": supernode task", supernode.taskFor(origin.url(path)).map(t -> t.status().name())
          .orElse("none"));
    }
    String healed = "/status-500.bin";
    origin.fault(healed, OriginServer.Fault.NONE);
    List<Path> outputs = new ArrayList<>();
    List<Dfget.Result> after = peers("healed", origin.url(healed), 1, outputs);
    TaskView task = supernode.taskFor(origin.url(healed)).orElseThrow();
    long wrong = FaultKit.wrongBytes(outputs, sha1);
    boolean ok = clear == tried && stray == 0 && after.get(0).exitCode() == 0 && wrong == 0;
    figures.put("peers told the status", clear + " of " + tried);
    RECORDER.record("errorStatuses", "the origin answers 500, 503 or 404 to 3 waiting peers each", ok
            ? "every peer exited 5 naming the status, nothing was cached; once healed the file came whole" : "failed",
        ok, 0, wrong, stray + stray(outputs), FaultKit.crashed(supernode), tried, figures);

    assertThat(clear).as("peers that exited %d naming the status", DfgetExit.ORIGIN_ERROR.code()).isEqualTo(tried);
    assertThat(stray).as("files left at failed outputs").isZero();
    assertThat(after.get(0).exitCode()).as("%s", after.get(0)).isZero();
    assertThat(wrong).isZero();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(task.originBytes()).as("the healed file was fetched once, whole").isEqualTo(SIZE);
  }

  @Test
  void aFileThatChangesDuringTheTaskIsNeverDeliveredAsAMixOfTwoVersions() throws Exception {
    String path = "/changes.bin";
    origin.serve(path, v1).fault(path, OriginServer.Fault.throttle(8L << 20))
        .dropOnce(path, DROP_AT, () -> origin.serve(path, v2));
    List<Path> outputs = new ArrayList<>();

    List<Dfget.Result> during = peers("change", origin.url(path), 2, outputs);
    origin.fault(path, OriginServer.Fault.NONE);
    List<Path> laterOut = new ArrayList<>();
    List<Dfget.Result> later = peers("changed", origin.url(path), 1, laterOut);

    int mixed = 0;
    int failedClearly = 0;
    int whole = 0;
    for (int i = 0; i < during.size(); i++) {
      Dfget.Result r = during.get(i);
      Path out = outputs.get(i);
      if (r.exitCode() == 0) {
        Digest got = TestFiles.sha256(out);
        whole += got.equals(sha1) || got.equals(sha2) ? 1 : 0;
        mixed += got.equals(sha1) || got.equals(sha2) ? 0 : 1;
      } else {
        failedClearly += r.stderr().contains("changed") && !java.nio.file.Files.exists(out) ? 1 : 0;
      }
    }
    long wrong = FaultKit.wrongBytes(laterOut, sha2) + (long) mixed * SIZE;
    int stray = stray(outputs) + stray(laterOut);
    boolean ok = mixed == 0 && whole + failedClearly == during.size() && later.get(0).exitCode() == 0 && wrong == 0;
    RECORDER.record("fileChanges", "the origin file is replaced while the CDN fetches it (connection dropped at 6 MiB)",
        ok ? "no mixed file: peers of the old version got a clear error (or a whole version); a later peer got the new one"
            : "failed", ok, 0, wrong, stray, FaultKit.crashed(supernode), 1,
        Map.of("failed clearly", failedClearly, "whole files", whole, "mixed files", mixed));

    assertThat(mixed).as("files made of two versions").isZero();
    assertThat(whole + failedClearly).as("peers with a whole version or a clear 'changed' error: %s", during)
        .isEqualTo(during.size());
    assertThat(later.get(0).exitCode()).as("%s", later.get(0)).isZero();
    assertThat(TestFiles.sha256(laterOut.get(0))).isEqualTo(sha2);
  }
}
