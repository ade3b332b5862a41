package io.damselfly.peer.download;

import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.download.pieces.PieceListener;
import io.damselfly.peer.download.session.Serving;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.peer.store.TaskFiles;
import io.damselfly.transport.ApiClient;
import io.damselfly.transport.RangeClient;
import java.net.http.HttpClient;
import java.time.InstantSource;

/**
 * What every download of a node shares: its settings, HTTP client (for origins), task files, host rate cap, the
 * tasks it keeps serving, the peer id it is known by, the budget of piece buffers in memory, and who
 * hears about each piece (metrics), and how it reaches the rest of its cluster (TLS, secret): JSON requests
 * over {@code cluster}, piece bytes over {@code pieceClient}, both on Netty.
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
    ApiClient cluster,
    RangeClient pieceClient) {

  /** Bytes of piece buffers all downloads of the node may hold at once ({@link NodeConfig#memoryBudget()}). */
  public static java.util.concurrent.Semaphore pieceMemory(NodeConfig config) {
    return new java.util.concurrent.Semaphore((int) Math.min(Integer.MAX_VALUE,
        Math.max(config.memoryBudget(), io.damselfly.common.PieceLayout.MAX_PIECE_SIZE)), true);
  }
}
