package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.cli.node.LocalClient;
import io.damselfly.cli.node.NodeSpawner;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.NodeFile;
import io.damselfly.peer.PeerNode;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dfget as a real process, as users run it: it starts its home's node in the background, the next dfget
 * reuses it, logs land in the home, and a signal cancels the download without leaving a file.
 */
class DfgetProcessTest {
  private static final int SIZE = 3 << 20;
  @TempDir Path dir;
  Path home;
  Path file;
  OriginServer origin;

  @BeforeEach
  void setUp() throws IOException {
    home = dir.resolve("home");
    file = dir.resolve("origin.bin");
    TestFiles.write(file, SIZE, 11);
    origin = OriginServer.start().serve("/f.bin", file);
  }

  @AfterEach
  void tearDown() throws Exception {
    origin.close();
    Optional<ProcessHandle> node = NodeFile.read(home).flatMap(f -> ProcessHandle.of(f.pid()));
    if (node.isPresent() && node.get().pid() != ProcessHandle.current().pid()) {
      node.get().destroy();
      node.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private Process start(Path out, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(NodeSpawner.thisJava(), "-cp", System.getProperty("java.class.path"),
        DfgetMain.class.getName(), "--no-daemon", "-o", out.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().put(CliEnv.HOME_VARIABLE, home.toString());
    pb.environment().put(CliEnv.CONF_VARIABLE, dir.resolve("none.conf").toString());
    return pb.start();
  }

  @Test
  void firstDfgetStartsTheNodeAndTheNextReusesIt() throws Exception {
    Process first = start(dir.resolve("one.bin"), "-u", origin.url("/f.bin"));
    assertThat(first.waitFor()).as(read("stderr.txt")).isZero();
    assertThat(read("stdout.txt")).startsWith("dfget: downloaded 3.0 MiB in ").contains("100% from origin -> "
        + dir.resolve("one.bin"));
    NodeFile node = NodeFile.read(home).orElseThrow();
    assertThat(node.pid()).isNotEqualTo(first.pid());
    assertThat(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive)).contains(true);

    Process second = start(dir.resolve("two.bin"), "-u", origin.url("/f.bin"), "--console");
    assertThat(second.waitFor()).as(read("stderr.txt")).isZero();
    assertThat(NodeFile.read(home).orElseThrow().pid()).isEqualTo(node.pid());
    assertThat(read("stderr.txt")).contains("download goes to the dfget-server node (pid " + node.pid() + ")");
    assertThat(Files.mismatch(dir.resolve("two.bin"), file)).isEqualTo(-1);
    assertThat(Files.readString(home.resolve("logs").resolve("dfget.log"))).contains("dfget: downloaded 3.0 MiB");
    assertThat(Files.readString(home.resolve("logs").resolve("dfget-server.log"))).contains("two.bin");
  }

  @Test
  void aSignalCancelsTheDownloadAndLeavesNoFile() throws Exception {
    origin.fault("/f.bin", OriginServer.Fault.throttle(256 << 10));
    Path out = dir.resolve("cancelled.bin");
    // the home's node runs in this JVM (found through node.json), so only dfget is a separate process
    try (PeerNode node = PeerNode.start(NodeConfig.defaults(home).withKeepAlive(Duration.ZERO),
        InstantSource.system())) {
      Process dfget = start(out, "-u", origin.url("/f.bin"));
      awaitTempFile(true);
      dfget.destroy(); // SIGTERM; Ctrl-C (SIGINT) runs the same shutdown hook and exits 130
      assertThat(dfget.waitFor()).isEqualTo(143);
      assertThat(read("stderr.txt")).contains("dfget: error: interrupted; the download was cancelled");
      assertThat(read("stdout.txt")).isEmpty();
      awaitTempFile(false);
      assertThat(out).doesNotExist();
      try (LocalClient client = new LocalClient()) {
        assertThat(client.node(node.localPort())).as("the node survives a cancelled download").isPresent();
      }
    }
  }

  /** Waits (bounded) until a hidden temporary download file appears in {@code dir}, or is gone. */
  private void awaitTempFile(boolean present) throws IOException, InterruptedException {
    for (int i = 0; i < 600; i++) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")) == present) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("temporary file still " + (present ? "absent" : "present") + "; " + read("stderr.txt"));
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }
}
