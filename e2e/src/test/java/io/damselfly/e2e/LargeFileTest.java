package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.peer.NodeFile;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with file size: a 1 GiB file goes through a supernode and a peer node that each
 * run with a 128 MiB heap. Neither holds a file in memory (the CDN streams to disk piece by piece, the
 * node's piece buffers have a fixed budget), so the heap cap is never reached.
 */
class LargeFileTest {
  private static final long SIZE = 1L << 30;
  private static final String HEAP = "-Xmx128m";
  private static final String PATH = "/one-gib.bin";

  @TempDir(cleanup = CleanupMode.ALWAYS) Path dir;

  @Test
  void aGibibyteFileGoesThroughA128MibHeapSupernodeAndPeer() throws Exception {
    Path file = dir.resolve("one-gib.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 1024);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess supernode = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"),
            sandbox.logDir(), List.of(HEAP), List.of())) {
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Dfget.DEFAULT_KEEPALIVE,
          Map.of("DAMSELFLY_NODE_JAVA_OPTS", HEAP));
      Path out = sandbox.dir("out").resolve("one-gib.bin");

      Dfget.Result r = dfget.run("peer", List.of("--url", origin.url(PATH), "--output", out.toString(),
          "--node", supernode.node(), "--timeout", "10m"));

      assertThat(r.exitCode()).as("%s", r).isZero();
      assertThat(r.stdout()).as("%s", r).contains("dfget: downloaded 1.0 GiB");
      assertThat(Files.size(out)).isEqualTo(SIZE);
      assertThat(TestFiles.sha256(out)).as("SHA-256 of the output").isEqualTo(sha256);
      assertThat(origin.bodyBytes(PATH)).as("body bytes the origin sent").isEqualTo(SIZE);
      // the caps were really in force on both processes that moved the bytes
      assertThat(commandLine(supernode.proc().pid())).contains(HEAP);
      long nodePid = NodeFile.read(sandbox.homeOf("peer")).orElseThrow().pid();
      assertThat(commandLine(nodePid)).as("the peer node's JVM options").contains(HEAP);
    }
  }

  private static List<String> commandLine(long pid) throws Exception {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
  }
}
