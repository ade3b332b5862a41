package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProgressEvent;
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
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DfgetMain in this JVM against a real peer node (running in this JVM) and a real origin. */
class DfgetIntegrationTest {
  private static final int SIZE = (1 << 20) + 12345;
  @TempDir Path cwd;
  Path home;
  Path file;
  OriginServer origin;
  PeerNode node;

  @BeforeEach
  void setUp() throws IOException {
    home = cwd.resolve("home");
    file = cwd.resolve("origin-file.bin");
    TestFiles.write(file, SIZE, 7);
    origin = OriginServer.start().serve("/dir/file.bin", file);
    node = PeerNode.start(NodeConfig.defaults(home).withKeepAlive(Duration.ZERO), InstantSource.system());
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private CliRun dfget(String... args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--home", home.toString(), "--no-daemon"));
    all.addAll(List.of(args));
    return CliRun.run(cwd, Map.of(CliEnv.CONF_VARIABLE, cwd.resolve("none.conf").toString()),
        all.toArray(String[]::new));
  }

  @Test
  void sourcePatternWritesTheFileAndOneSummaryLine() throws Exception {
    Path out = cwd.resolve("out.bin");
    CliRun run = dfget("-u", origin.url("/dir/file.bin"), "-o", "out.bin", "--pattern", "source");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.mismatch(out, file)).isEqualTo(-1);
    assertThat(run.out()).matches(Pattern.quote("dfget: downloaded 1.0 MiB in ") + "\\d+\\.\\d s \\(.+/s\\): "
        + Pattern.quote("0% from peers, 0% from supernode, 100% from origin -> " + out) + "\\R");
    assertThat(run.err()).isEmpty();
    assertThat(origin.requests("/dir/file.bin")).isEqualTo(1);
  }

  @Test
  void defaultOutputIsTheUrlsFileNameAndNoSupernodeFallsBackToTheOrigin() throws Exception {
    CliRun run = dfget("-u", origin.url("/dir/file.bin") + "?token=abc", "--showbar");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.mismatch(cwd.resolve("file.bin"), file)).isEqualTo(-1);
    assertThat(run.out()).contains("100% from origin -> " + cwd.resolve("file.bin"));
    assertThat(run.err()).contains("\r[==============================] 100% 1.0 MiB/1.0 MiB");
  }

  @Test
  void dfdaemonFlagPrintsTheFinalEventAsJson() throws Exception {
    CliRun run = dfget("-u", origin.url("/dir/file.bin"), "--dfdaemon", "--showbar", "--pattern", "source",
        "--callsystem", "tests", "--header", "X-Trace: 1", "--identifier", "id", "--filter", "a&b");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().toList()).hasSize(1);
    ProgressEvent done = Json.read(run.out().getBytes(StandardCharsets.UTF_8), ProgressEvent.class);
    assertThat(done.type()).isEqualTo(ProgressEvent.Type.DONE);
    assertThat(done.fromSource()).isEqualTo(SIZE);
    assertThat(done.message()).contains(cwd.resolve("file.bin").toString());
  }

  @Test
  void digestMismatchIsExit3AndLeavesNothing() throws Exception {
    CliRun run = dfget("-u", origin.url("/dir/file.bin"), "-o", "out.bin", "--md5", "0".repeat(32), "-p", "source");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).startsWith("dfget: error: ").contains("does not match");
    assertThat(run.out()).isEmpty();
    assertOnlyOriginFileAndHome();
  }

  @Test
  void rightDigestPasses() throws Exception {
    String sha = TestFiles.sha256(file).toString();
    CliRun run = dfget("-u", origin.url("/dir/file.bin"), "-o", "out.bin", "--digest", sha.toUpperCase(), "-p", "source");
    assertThat(run.exit()).as(run.err()).isZero();
  }

  @Test
  void originErrorIsExit5() throws Exception {
    CliRun run = dfget("-u", origin.url("/missing.bin"), "-p", "source");
    assertThat(run.exit()).isEqualTo(5);
    assertThat(run.err()).startsWith("dfget: error: ").contains("404");
    assertOnlyOriginFileAndHome();
  }

  @Test
  void timeoutIsExit6() throws Exception {
    origin.fault("/dir/file.bin", OriginServer.Fault.throttle(64 << 10));
    CliRun run = dfget("-u", origin.url("/dir/file.bin"), "-p", "source", "--timeout", "300ms");
    assertThat(run.exit()).as(run.err()).isEqualTo(6);
    assertThat(run.err()).contains("did not finish within");
    assertOnlyOriginFileAndHome();
  }

  @Test
  void handsTheDownloadToADfdaemon() throws Exception {
    Path daemonHome = cwd.resolve("daemon-home");
    try (PeerNode daemon = PeerNode.start(NodeConfig.defaults(daemonHome).withKind(NodeConfig.KIND_DAEMON)
        .withKeepAlive(Duration.ZERO), InstantSource.system())) {
      node.close();
      node = null;
      CliRun run = CliRun.run(cwd, Map.of(CliEnv.CONF_VARIABLE, cwd.resolve("none.conf").toString()), "--home",
          home.toString(), "--daemon-port", Integer.toString(daemon.localPort()), "-u", origin.url("/dir/file.bin"),
          "-o", "via-daemon.bin", "-p", "source");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(Files.mismatch(cwd.resolve("via-daemon.bin"), file)).isEqualTo(-1);
      assertThat(home.resolve("data").resolve("node.json")).doesNotExist();
    }
  }

  private void assertOnlyOriginFileAndHome() throws IOException {
    try (Stream<Path> files = Files.list(cwd)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("home", "origin-file.bin");
    }
  }
}
