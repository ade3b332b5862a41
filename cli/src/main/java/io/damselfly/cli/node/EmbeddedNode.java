package io.damselfly.cli.node;

import io.damselfly.cli.CliException;
import io.damselfly.cli.ServerArgs;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import io.damselfly.protocol.DfgetExit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The last resort of {@link NodeLocator}: a node inside dfget's own process for one download. Kept apart so that
 * the peer module (Netty, Jackson, Logback) is loaded only on this path.
 */
final class EmbeddedNode {
  private EmbeddedNode() {}

  static NodeHandle start(Path home, ServerArgs server, InstantSource clock) {
    try {
      NodeConfig config = server.applyTo(NodeConfig.defaults(home)).withKeepAlive(Duration.ZERO);
      io.damselfly.transport.JdkHttpTuning.apply(); // before the node's first JDK client (origins)
      PeerNode node = PeerNode.start(config, clock);
      return NodeHandle.embedded(node.localPort(), node);
    } catch (RuntimeException e) {
      throw new CliException(DfgetExit.FAILED, "cannot start a peer node for " + home + ": " + e.getMessage());
    }
  }
}
