package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.NodeFile;
import io.damselfly.protocol.Json;
import io.damselfly.testing.OriginServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself, on a small Java helper process (an origin server) rather than the jars. */
class HarnessTest {
  private static final Pattern READY = Pattern.compile("origin ready port=(\\d+)");
  private static final Duration LIMIT = Duration.ofMinutes(1);

  @TempDir Path dir;

  private Launch origin(String name, String... args) {
    return Launch.mainClass(name, OriginServer.class.getName(), List.of(args), dir.resolve("logs"));
  }

  @Test
  void waitsForTheReadyLineAndStopsTheProcessByPid() throws Exception {
    Proc p = Proc.start(origin("origin"));
    try {
      int port = Integer.parseInt(p.awaitLine(READY, LIMIT).group(1));
      assertThat(port).isPositive();
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.close();
    }
    assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.readString(dir.resolve("logs/origin.out"))).contains("origin ready");
  }

  @Test
  void reportsTheOutputWhenTheProcessExitsBeforeItsLine() throws Exception {
    Launch bad = new Launch("bad", List.of(Launch.javaExecutable().toString(), "-no-such-jvm-flag"), Map.of(),
        dir.resolve("logs"));
    try (Proc p = Proc.start(bad)) {
      assertThatThrownBy(() -> p.awaitLine(READY, LIMIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("bad exited with")
          .hasMessageContaining("-no-such-jvm-flag");
      assertThat(p.awaitExit(LIMIT)).isNotZero();
    }
  }

  @Test
  void stopsTheNodeNamedByAHomesNodeFile() throws Exception {
    Sandbox sandbox = Sandbox.in(dir.resolve("run"));
    Path home = sandbox.home("host-1");
    try (Proc node = Proc.start(origin("node", "/f=" + home.resolve("f")))) {
      node.awaitLine(READY, LIMIT);
      writeNodeFile(home, node.pid());

      sandbox.close();

      assertThat(node.isAlive()).isFalse();
      assertThat(node.awaitExit(LIMIT)).as("stopped by SIGTERM, not killed").isEqualTo(143);
    }
  }

  @Test
  void leavesAProcessAloneWhenTheNodeFileDoesNotDescribeIt() throws Exception {
    Path home = Files.createDirectories(dir.resolve("other-home"));
    try (Proc stranger = Proc.start(origin("stranger"))) {
      stranger.awaitLine(READY, LIMIT);
      // The node file was written before the stranger started and its command line does not name the home:
      // a reused PID.
      writeNodeFile(home, stranger.pid());
      Files.setLastModifiedTime(NodeFile.path(home), FileTime.from(Instant.now().minus(Duration.ofHours(1))));

      assertThat(Reaper.stopNode(home, Duration.ofSeconds(5))).isEmpty();
      assertThat(stranger.isAlive()).isTrue();
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void countsAZombieAsStopped() throws Exception {
    // The shell becomes a sleep that never collects the status of the shell's background child: once that child
    // exits it stays a zombie, which the JDK counts as alive, as a peer node is until init collects its status.
    Launch parent = new Launch("zombie-parent",
        List.of("sh", "-c", "sleep 0.2 & echo \"child $!\"; exec sleep 60"), Map.of(), dir.resolve("logs"));
    try (Proc p = Proc.start(parent)) {
      long child = Long.parseLong(p.awaitLine(Pattern.compile("child (\\d+)"), LIMIT).group(1));
      ProcessHandle zombie = ProcessHandle.of(child).orElseThrow();

      assertThat(Reaper.awaitExit(zombie, Duration.ofSeconds(10))).as("stopped, well before its parent").isTrue();
      assertThat(p.isAlive()).isTrue();
    }
  }

  @Test
  void sandboxGivesAnEmptyConfigAndFreshHomes() throws IOException {
    try (Sandbox sandbox = Sandbox.in(dir.resolve("run"))) {
      assertThat(Files.readString(sandbox.conf())).doesNotContain("address");
      assertThat(sandbox.home("a")).isEmptyDirectory().isNotEqualTo(sandbox.home("b"));
    }
  }

  @Test
  void rejectsAMissingJarWithAClearMessage() {
    assertThatThrownBy(() -> Launch.jar("x", dir.resolve("nope.jar"), List.of(), Map.of(), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.jar")
        .hasMessageContaining("build it first");
  }

  private static void writeNodeFile(Path home, long pid) throws IOException {
    Files.createDirectories(NodeFile.path(home).getParent());
    Files.write(NodeFile.path(home), Json.write(new NodeFile(NodeConfig.KIND_DFGET, pid, 1, 2)));
  }
}
