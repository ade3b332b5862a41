package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode restarts over a populated cache in which one file was altered in place and another was
 * truncated. Neither is served as it is: each is checked piece by piece, its good prefix kept, and only
 * the rest fetched from the origin again; peers get the right files.
 */
class CacheRestartTest {
  private static final long SIZE = 16L << 20;
  private static final int BAD_PIECE = 20;
  private final Recorder recorder = new Recorder(CacheRestartTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void alteredAndTruncatedCacheFilesAreDetectedAndNeverServed() throws Exception {
    Path fileA = dir.resolve("a.bin");
    Path fileB = dir.resolve("b.bin");
    Digest shaA = TestFiles.write(fileA, SIZE, 91);
    Digest shaB = TestFiles.write(fileB, SIZE, 92);
    try (OriginServer origin = OriginServer.start().serve("/a.bin", fileA).serve("/b.bin", fileB);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"))) {
      Path home = sandbox.home("supernode");
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofSeconds(20));
      TaskView a;
      TaskView b;
      try (SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), home, sandbox.dir("logs-1"),
          SupernodeProcess.SMALL_PIECES)) {
        for (String f : List.of("a", "b")) {
          Dfget.Result r = dfget.run("first-" + f, List.of("--url", origin.url("/" + f + ".bin"), "--output",
              sandbox.dir("first-" + f).resolve(f + ".bin").toString(), "--node", sn.node(), "--pattern", "cdn"));
          assertThat(r.exitCode()).as("%s", r).isZero();
        }
        a = sn.taskFor(origin.url("/a.bin")).orElseThrow();
        b = sn.taskFor(origin.url("/b.bin")).orElseThrow();
      }
      Path cdn = home.resolve("supernode").resolve("cdn");
      long piece = a.pieceSize();
      Path dataA = cdn.resolve(a.taskId()).resolve("data");
      try (FileChannel ch = FileChannel.open(dataA, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {7, 7, 7}), BAD_PIECE * piece + 99);
      }
      Files.setLastModifiedTime(dataA, FileTime.fromMillis(Files.getLastModifiedTime(dataA).toMillis() + 5000));
      try (FileChannel ch = FileChannel.open(cdn.resolve(b.taskId()).resolve("data"), StandardOpenOption.WRITE)) {
        ch.truncate(BAD_PIECE * piece + 1234);
      }

      TaskView a2;
      TaskView b2;
      Dfget.Result ra;
      Dfget.Result rb;
      Path outA = sandbox.dir("second-a").resolve("a.bin");
      Path outB = sandbox.dir("second-b").resolve("b.bin");
      try (SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), home, sandbox.dir("logs-2"),
          SupernodeProcess.SMALL_PIECES)) {
        ra = dfget.run("second-a", List.of("--url", origin.url("/a.bin"), "--output", outA.toString(), "--node",
            sn.node(), "--pattern", "cdn"));
        rb = dfget.run("second-b", List.of("--url", origin.url("/b.bin"), "--output", outB.toString(), "--node",
            sn.node(), "--pattern", "cdn"));
        a2 = FaultKit.until("task a to finish", () -> sn.taskFor(origin.url("/a.bin"))
            .filter(t -> t.status() == TaskStatus.SUCCESS));
        b2 = FaultKit.until("task b to finish", () -> sn.taskFor(origin.url("/b.bin"))
            .filter(t -> t.status() == TaskStatus.SUCCESS));
      }

      long refetch = SIZE - BAD_PIECE * piece;
      long wrong = FaultKit.wrongBytes(List.of(outA), shaA) + FaultKit.wrongBytes(List.of(outB), shaB);
      boolean ok = ra.exitCode() == 0 && rb.exitCode() == 0 && wrong == 0 && a2.originBytes() == refetch
          && b2.originBytes() == refetch;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("pieces kept of each", BAD_PIECE + " of " + a.pieceCount());
      figures.put("origin bytes after restart", a2.originBytes() + " + " + b2.originBytes());
      recorder.record("cacheRestart", "restart over a cache with one file altered in place and one truncated", ok
              ? "both detected; their verified prefixes kept, the rest fetched again; nothing bad served" : "failed",
          ok, a2.originBytes() + b2.originBytes(), wrong, FaultKit.strayFiles(outA.getParent(), outA)
              + FaultKit.strayFiles(outB.getParent(), outB), 0, 2, figures);

      assertThat(ra.exitCode()).as("%s", ra).isZero();
      assertThat(rb.exitCode()).as("%s", rb).isZero();
      assertThat(wrong).isZero();
      assertThat(a2.originBytes()).as("altered file: only from the altered piece on").isEqualTo(refetch);
      assertThat(b2.originBytes()).as("truncated file: only from the cut on").isEqualTo(refetch);
    }
  }
}
