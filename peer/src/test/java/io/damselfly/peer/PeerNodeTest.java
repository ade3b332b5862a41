package io.damselfly.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.peer.testkit.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerNodeTest {
  @TempDir Path home;

  private NodeConfig loopback() {
    return NodeConfig.defaults(home).withAddresses("127.0.0.1", "127.0.0.1");
  }

  @Test
  void aRunningNodeIsFoundThroughItsNodeFileWhichCloseRemoves() {
    PeerNode node = PeerNode.start(loopback().withKind(NodeConfig.KIND_DAEMON), InstantSource.system());
    try {
      NodeFile file = NodeFile.read(home).orElseThrow();
      assertThat(file.kind()).isEqualTo(NodeConfig.KIND_DAEMON);
      assertThat(file.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(file.localPort()).isEqualTo(node.localPort()).isPositive();
      assertThat(file.uploadPort()).isEqualTo(node.uploadPort()).isPositive();
      assertThat(node.info().kind()).isEqualTo(NodeConfig.KIND_DAEMON);
      assertThat(node.peerId()).isNotBlank();
    } finally {
      node.close();
    }
    assertThat(NodeFile.read(home)).isEmpty();
    node.close();
  }

  @Test
  void anIdleNodeStopsWhenItsKeepAliveRunsOut() throws InterruptedException {
    FakeClock clock = new FakeClock();
    PeerNode node = PeerNode.start(loopback().withKeepAlive(Duration.ofMinutes(5)), clock);
    try {
      clock.advance(Duration.ofMinutes(6));
      node.awaitClose();
      assertThat(NodeFile.read(home)).isEmpty();
    } finally {
      node.close();
    }
  }

  @Test
  void anUnreadableNodeFileIsNoNode() throws Exception {
    java.nio.file.Files.createDirectories(NodeFile.path(home).getParent());
    java.nio.file.Files.writeString(NodeFile.path(home), "{not json");
    assertThat(NodeFile.read(home)).isEmpty();
    assertThat(NodeFile.read(home.resolve("elsewhere"))).isEmpty();
  }

  @Test
  void settingsAreCheckedWithMessagesThatNameTheSetting() {
    NodeConfig ok = NodeConfig.defaults(home);
    assertThatThrownBy(() -> ok.withPorts(70000, 0)).hasMessageContaining("uploadPort").hasMessageContaining("70000");
    assertThatThrownBy(() -> ok.withPorts(0, -1)).hasMessageContaining("localPort");
    assertThatThrownBy(() -> ok.withLimits(-1, 0)).hasMessageContaining("uploadLimit");
    assertThatThrownBy(() -> ok.withTimings(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("pieceTimeout");
    assertThatThrownBy(() -> ok.withKeepAlive(Duration.ofSeconds(-1))).hasMessageContaining("keepAlive");
    assertThatThrownBy(() -> NodeConfig.defaults(null)).hasMessageContaining("home");
    assertThat(ok.dataDir()).isEqualTo(home.resolve("data"));
    assertThat(ok.keepAlive()).isEqualTo(Duration.ofMinutes(5));
    assertThat(ok.kind()).isEqualTo(NodeConfig.KIND_DFGET);
  }
}
