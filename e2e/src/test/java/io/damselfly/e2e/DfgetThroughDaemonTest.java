package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.peer.NodeFile;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a host with a running dfdaemon, dfget starts no node of its own: the daemon downloads (it is the
 * host's peer in the task), and a second dfget of the same file on that host is served from the daemon's
 * copy without the origin sending it again.
 */
class DfgetThroughDaemonTest {
  private static final long SIZE = 24L << 20;
  private static final String PATH = "/release.tar";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void dfgetHandsItsDownloadsToTheHostsDaemon() throws Exception {
    Path file = dir.resolve("release.tar");
    Digest sha256 = TestFiles.write(file, SIZE, 31);
    try (OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess supernode =
            SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(), List.of());
        DfdaemonProcess daemon = DfdaemonProcess.start("dfdaemon", Jars.dfdaemon(), sandbox.home("daemon"),
            sandbox.logDir(), List.of("--node", supernode.node()))) {
      Dfget dfget = new Dfget(Jars.dfget(), sandbox);
      for (String user : List.of("first", "second")) {
        Path out = sandbox.dir("out-" + user).resolve("release.tar");
        Dfget.Result r;
        try (Proc p = dfget.startWithDaemon(user, daemon.port(),
            List.of("--url", origin.url(PATH), "--output", out.toString(), "--node", supernode.node()))) {
          r = Dfget.await(p);
        }
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(TestFiles.sha256(out)).as("SHA-256 of %s", out).isEqualTo(sha256);
        assertThat(NodeFile.read(sandbox.homeOf(user))).as("a node of dfget's own for %s", user).isEmpty();
      }

      assertThat(origin.bodyBytes(PATH)).as("body bytes the origin sent").isEqualTo(SIZE);
      TaskView task = supernode.taskFor(origin.url(PATH)).orElseThrow();
      assertThat(task.peers()).as("peers of the task").singleElement()
          .satisfies(p -> assertThat(p.port()).as("the peer's upload port").isEqualTo(daemon.uploadPort()));
    }
  }
}
