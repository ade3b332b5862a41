package io.damselfly.peer.download;

import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.store.TaskFiles;
import java.net.http.HttpClient;
import java.time.InstantSource;

/**
 * What every download of a node shares: its settings, HTTP client, task files, host rate cap, the
 * tasks it keeps serving, the peer id it is known by, the budget of piece buffers in memory, and who
 * hears about each piece (metrics), and how it reaches the rest of its cluster (TLS, secret).
 */
public record NodeContext(
    NodeConfig config,
    HttpClient http,
    Watchdog watchdog,
    TaskFiles files,
    Throttles throttles,
    Serving serving,
    String peerId,
    int uploadPort,
    InstantSource clock,
    java.util.concurrent.Semaphore pieceMemory,
    PieceListener pieces,
    ClusterHttp cluster) {

  /** A context whose pieces nobody hears about. */
  public NodeContext(NodeConfig config, HttpClient http, Watchdog watchdog, TaskFiles files, Throttles throttles,
      Serving serving, String peerId, int uploadPort, InstantSource clock, java.util.concurrent.Semaphore pieceMemory) {
    this(config, http, watchdog, files, throttles, serving, peerId, uploadPort, clock, pieceMemory, PieceListener.NONE);
  }

  /** A context that reaches its cluster over {@code http} (the node's settings must not ask for TLS). */
  public NodeContext(NodeConfig config, HttpClient http, Watchdog watchdog, TaskFiles files, Throttles throttles,
      Serving serving, String peerId, int uploadPort, InstantSource clock, java.util.concurrent.Semaphore pieceMemory,
      PieceListener pieces) {
    this(config, http, watchdog, files, throttles, serving, peerId, uploadPort, clock, pieceMemory, pieces,
        plainCluster(config, http));
  }

  private static ClusterHttp plainCluster(NodeConfig config, HttpClient http) {
    if (config.access().tls() != null) {
      throw new IllegalArgumentException("a node with TLS needs its cluster client: use the canonical constructor");
    }
    return new ClusterHttp(http, config.access());
  }

  /** Bytes of piece buffers all downloads of the node may hold at once ({@link NodeConfig#memoryBudget()}). */
  public static java.util.concurrent.Semaphore pieceMemory(NodeConfig config) {
    return new java.util.concurrent.Semaphore((int) Math.min(Integer.MAX_VALUE,
        Math.max(config.memoryBudget(), io.damselfly.common.PieceLayout.MAX_PIECE_SIZE)), true);
  }
}
