package io.damselfly.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.cli.ClientLog;
import io.damselfly.cli.ServerArgs;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.NodeFile;
import io.damselfly.peer.PeerNode;
import io.damselfly.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLocatorTest {
  /** Cannot start anything, so a locator that must spawn falls back to an in-process node. */
  private static final NodeSpawner NO_SPAWN = new NodeSpawner("no-such-java-for-tests", "none");
  @TempDir Path dir;
  Path home;
  LocalClient client;
  Set<Long> childrenBefore;

  @BeforeEach
  void setUp() {
    home = dir.resolve("home");
    client = new LocalClient();
    childrenBefore = children();
  }

  @AfterEach
  void stopSpawnedNodes() throws Exception {
    client.close();
    for (ProcessHandle p : ProcessHandle.current().children().filter(p -> !childrenBefore.contains(p.pid())).toList()) {
      p.destroy();
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private NodeLocator locator(NodeSpawner spawner) {
    return new NodeLocator(client, spawner, InstantSource.system(), Duration.ofSeconds(30),
        new ClientLog(dir.resolve("logs"), "dfget", false, System.err));
  }

  private static Set<Long> children() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private static PeerNode node(Path home, String kind) {
    return PeerNode.start(NodeConfig.defaults(home).withKind(kind).withKeepAlive(Duration.ZERO), InstantSource.system());
  }

  @Test
  void usesTheRunningNodeOfTheHome() throws Exception {
    try (PeerNode node = node(home, NodeConfig.KIND_DFGET);
        NodeHandle handle = locator(NO_SPAWN).locate(home, 0, ServerArgs.DEFAULTS)) {
      assertThat(handle.isEmbedded()).isFalse();
      assertThat(handle.localPort()).isEqualTo(node.localPort());
    }
  }

  @Test
  void prefersADfdaemonOnTheDaemonPort() throws Exception {
    try (PeerNode daemon = node(dir.resolve("daemon-home"), NodeConfig.KIND_DAEMON);
        PeerNode own = node(home, NodeConfig.KIND_DFGET);
        NodeHandle handle = locator(NO_SPAWN).locate(home, daemon.localPort(), ServerArgs.DEFAULTS)) {
      assertThat(handle.localPort()).isEqualTo(daemon.localPort()).isNotEqualTo(own.localPort());
      assertThat(handle.toString()).contains("dfdaemon");
    }
  }

  @Test
  void aDfgetNodeOnTheDaemonPortIsNotADaemon() throws Exception {
    try (PeerNode other = node(dir.resolve("other-home"), NodeConfig.KIND_DFGET);
        NodeHandle handle = locator(NO_SPAWN).locate(home, other.localPort(), ServerArgs.DEFAULTS)) {
      assertThat(handle.localPort()).isNotEqualTo(other.localPort());
      assertThat(handle.isEmbedded()).isTrue();
    }
  }

  @Test
  void staleNodeFileIsIgnoredAndAFailedSpawnRunsTheNodeInProcess() throws Exception {
    Process gone = new ProcessBuilder(NodeSpawner.thisJava(), "-version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    gone.waitFor();
    Files.createDirectories(home.resolve("data"));
    Files.write(NodeFile.path(home), Json.write(new NodeFile(NodeConfig.KIND_DFGET, gone.pid(), 1, 2)));
    try (NodeHandle handle = locator(NO_SPAWN).locate(home, 0, ServerArgs.DEFAULTS)) {
      assertThat(handle.isEmbedded()).isTrue();
      assertThat(client.node(handle.localPort())).get()
          .satisfies(info -> assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid()));
    }
    assertThat(client.node(1)).isEmpty();
  }

  @Test
  void concurrentDfgetsStartExactlyOneServerProcess() throws Exception {
    NodeSpawner spawner = NodeSpawner.fromThisJvm();
    ServerArgs args = new ServerArgs(1 << 20, Duration.ofMinutes(2), null);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<CompletableFuture<NodeHandle>> all = List.of(1, 2, 3).stream()
          .map(i -> CompletableFuture.supplyAsync(() -> locator(spawner).locate(home, 0, args), pool)).toList();
      List<Integer> ports = all.stream().map(f -> f.join().localPort()).distinct().toList();
      assertThat(ports).hasSize(1);
      NodeFile file = NodeFile.read(home).orElseThrow();
      assertThat(file.localPort()).isEqualTo(ports.getFirst());
      assertThat(file.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(children()).contains(file.pid()).hasSize(childrenBefore.size() + 1);
      assertThat(client.node(file.localPort())).get().satisfies(i -> assertThat(i.kind()).isEqualTo("dfget-server"));
      assertThat(home.resolve("logs").resolve("dfget-server.log")).exists();
      assertThat(Files.readString(NodeSpawner.outFile(home))).contains("dfget server ready: pid " + file.pid())
          .contains("keepalive PT2M");
      try (NodeHandle again = locator(NO_SPAWN).locate(home, 0, args)) {
        assertThat(again.localPort()).isEqualTo(file.localPort());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void spawnCommandRunsTheServerSubcommandDetached() {
    List<String> cmd = new NodeSpawner("java", "a.jar").command(home, List.of("--keepalive", "1000ms"));
    assertThat(cmd.getFirst()).isEqualTo("java");
    assertThat(String.join(" ", cmd)).contains("-cp a.jar io.damselfly.cli.DfgetMain server --home " + home
        + " --detached --keepalive 1000ms");
    assertThat(cmd).as("the node's heap is bounded by default").contains(NodeSpawner.DEFAULT_NODE_OPTIONS);
  }

  @Test
  void theNodesJvmOptionsComeFromTheEnvironment() {
    assertThat(NodeSpawner.nodeOptions(java.util.Map.of(NodeSpawner.NODE_OPTIONS_ENV, " -Xmx128m  -XX:+UseSerialGC ")))
        .containsExactly("-Xmx128m", "-XX:+UseSerialGC");
    assertThat(NodeSpawner.nodeOptions(java.util.Map.of())).containsExactly(NodeSpawner.DEFAULT_NODE_OPTIONS);
    List<String> cmd = new NodeSpawner("java", "a.jar", List.of("-Xmx128m")).command(home, List.of());
    assertThat(cmd.indexOf("-Xmx128m")).isPositive().isLessThan(cmd.indexOf("-cp"));
  }

  @Test
  void theNodesStartupCacheIsUsedWhenItsFileIsThere() throws Exception {
    Path cache = dir.resolve("dfget-server-1.aot");
    NodeSpawner spawner = new NodeSpawner("java", "a.jar", List.of(), cache);
    assertThat(spawner.cacheOptions(25)).as("no file yet: no cache on 24+").doesNotContain("-XX:AOTCache=" + cache)
        .contains("-Xlog:aot*=off:stderr");
    Files.writeString(cache, "x");
    assertThat(spawner.cacheOptions(25)).contains("-XX:AOTCache=" + cache, "-XX:+VerifySharedSpaces");
    assertThat(spawner.cacheOptions(21)).as("AppCDS, made by the JVM when missing")
        .contains("-XX:SharedArchiveFile=" + cache, "-XX:+AutoCreateSharedArchive").doesNotContain("-Xlog:aot*=off:stderr");
    assertThat(new NodeSpawner("java", "a.jar", List.of()).cacheOptions(25)).isEmpty();
  }
}
