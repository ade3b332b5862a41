package io.damselfly.cli.node;

import io.damselfly.cli.ClientLog;
import io.damselfly.cli.CliException;
import io.damselfly.cli.ServerArgs;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.NodeInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Finds the peer node that runs dfget's download: a dfdaemon on this host, else the running node of the
 * home ({@code <home>/data/node.json} and a ping), else one it spawns under {@code <home>/data/spawn.lock};
 * when spawning fails, a node in this process for this one download. Up to that last resort it uses the JDK
 * alone (see {@link LocalClient}).
 */
public final class NodeLocator {
  /** The kind a dfdaemon reports ({@code NodeConfig.KIND_DAEMON} of the peer module). */
  static final String KIND_DAEMON = "dfdaemon";
  private static final long POLL_MILLIS = 50;
  private final LocalClient client;
  private final NodeSpawner spawner;
  private final InstantSource clock;
  private final Duration spawnWait;
  private final ClientLog log;

  /**
   * @param spawnWait how long to wait for the spawn lock, and then for a spawned node to be ready
   */
  public NodeLocator(LocalClient client, NodeSpawner spawner, InstantSource clock, Duration spawnWait, ClientLog log) {
    this.client = client;
    this.spawner = spawner;
    this.clock = clock;
    this.spawnWait = spawnWait;
    this.log = log;
  }

  /**
   * The node for a download.
   *
   * @param daemonPort the local port of this host's dfdaemon, or 0 to skip it
   * @throws CliException (exit 130) when cancelled; (exit 1) when not even an in-process node starts
   */
  public NodeHandle locate(Path home, int daemonPort, ServerArgs server) {
    if (daemonPort > 0) {
      Optional<NodeInfo> daemon = client.node(daemonPort).filter(i -> KIND_DAEMON.equals(i.kind()));
      if (daemon.isPresent()) {
        return NodeHandle.running(daemonPort, "dfdaemon (pid " + daemon.get().pid() + ")");
      }
    }
    Optional<NodeHandle> running = homeNode(home);
    if (running.isPresent()) {
      return running.get();
    }
    try (SpawnLock lock = SpawnLock.acquire(home.resolve("data").resolve("spawn.lock"), spawnWait, clock,
        client::cancelled)) {
      running = homeNode(home);
      return running.isPresent() ? running.get() : spawnAndWait(home, server);
    } catch (InterruptedException e) {
      throw new CliException(DfgetExit.INTERRUPTED, "interrupted while starting the peer node");
    } catch (IOException e) {
      log.warn(NodeLocator.class, "cannot start a dfget node for " + home + ": " + e.getMessage()
          + "; running one in this process for this download");
      return homeNode(home).orElseGet(() -> EmbeddedNode.start(home, server, clock));
    }
  }

  /** The live node described by {@code <home>/data/node.json}, if it answers. */
  public Optional<NodeHandle> homeNode(Path home) {
    Optional<NodeFileView> file = NodeFileView.read(home);
    if (file.isEmpty() || !ProcessHandle.of(file.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
      return Optional.empty();
    }
    NodeFileView f = file.get();
    return client.node(f.localPort()).filter(i -> i.pid() == f.pid())
        .map(i -> NodeHandle.running(f.localPort(), i.kind() + " node (pid " + f.pid() + ")"));
  }

  private NodeHandle spawnAndWait(Path home, ServerArgs server) throws IOException, InterruptedException {
    Process p = spawner.spawn(home, server.flags());
    log.info(NodeLocator.class, "started a dfget node for " + home + " (pid " + p.pid() + ", " + server + ")");
    Instant deadline = clock.instant().plus(spawnWait);
    while (true) {
      if (!p.isAlive()) {
        throw new IOException("the node exited with code " + p.exitValue() + "; see " + NodeSpawner.outFile(home));
      }
      Optional<NodeHandle> ready = homeNode(home).filter(h -> NodeFileView.read(home).map(f -> f.pid() == p.pid())
          .orElse(false));
      if (ready.isPresent()) {
        return ready.get();
      }
      if (client.cancelled()) {
        throw new InterruptedException("cancelled");
      }
      if (clock.instant().isAfter(deadline)) {
        p.destroy();
        throw new IOException("the node (pid " + p.pid() + ") was not ready within " + spawnWait.toSeconds()
            + " s; see " + NodeSpawner.outFile(home));
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
