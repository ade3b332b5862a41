package io.damselfly.peer;

import io.damselfly.transport.ClusterAccess;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a host's peer node, sealed at start.
 *
 * @param home the node's directory: {@code data/} (task files, node.json) and {@code logs/}
 * @param kind {@code dfget-server} or {@code dfdaemon}, reported by the local API
 * @param uploadPort port other peers fetch pieces from; 0 (default) picks a free one
 * @param localPort loopback port of the local API; 0 (default) picks a free one
 * @param bindHost address the upload server listens on (default all interfaces)
 * @param advertiseHost address given to the supernode for other peers to reach this one; null (default)
 *     takes the local address of the connection to the supernode
 * @param uploadLimit bytes per second the host serves to other peers, 0 (default) for no cap
 * @param totalLimit bytes per second all downloads of the host receive together, 0 (default) for no cap
 * @param parallelism pieces fetched at once per download (default 4)
 * @param memoryBudget bytes of piece buffers of all the node's downloads together (default 32 MiB, at least one
 *     16 MiB piece); pieces are verified in memory before they touch the disk, so this bounds the node's
 *     memory whatever the file size and however many downloads run
 * @param pieceTimeout one piece fetch may take this long before its source counts as timed out (default 30 s)
 * @param keepAlive the node exits after this long without downloads or uploads; zero keeps it running (dfdaemon)
 * @param heartbeat how often a finished peer tells the supernode it still serves (default 20 s)
 * @param cacheBytes most bytes of finished files the node keeps serving from {@code data/tasks} (default 20 GiB);
 *     the least recently used go first
 * @param minFreeBytes free bytes the data directory's disk keeps: finished files are evicted while it has less
 *     (default 64 MiB). (A download whose known length does not fit on its output's disk is refused before it
 *     starts, whatever this says.)
 * @param access cluster secret and TLS: sent to supernodes and peers, and asked of peers fetching from the upload
 *     port (default {@link ClusterAccess#NONE}: plain HTTP, no secret)
 */
public record NodeConfig(
    Path home,
    String kind,
    int uploadPort,
    int localPort,
    String bindHost,
    String advertiseHost,
    long uploadLimit,
    long totalLimit,
    int parallelism,
    long memoryBudget,
    Duration pieceTimeout,
    Duration keepAlive,
    Duration heartbeat,
    long cacheBytes,
    long minFreeBytes,
    ClusterAccess access) {

  public static final String KIND_DFGET = "dfget-server";
  public static final String KIND_DAEMON = "dfdaemon";

  public NodeConfig {
    if (home == null) {
      throw new IllegalArgumentException("home must be given");
    }
    check("uploadPort", uploadPort);
    check("localPort", localPort);
    if (uploadLimit < 0 || totalLimit < 0) {
      throw new IllegalArgumentException("uploadLimit and totalLimit must be >= 0 bytes/s");
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("parallelism must be in [1, 64], got " + parallelism);
    }
    if (memoryBudget < 1 << 20) {
      throw new IllegalArgumentException("memoryBudget must be at least 1 MiB, got " + memoryBudget);
    }
    if (pieceTimeout.isNegative() || pieceTimeout.isZero() || keepAlive.isNegative()
        || heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("pieceTimeout and heartbeat must be positive, keepAlive >= 0");
    }
    new io.damselfly.common.DiskQuota(cacheBytes, minFreeBytes);
    if (access == null) {
      throw new IllegalArgumentException("access must be given (ClusterAccess.NONE for none)");
    }
  }

  /** Defaults for a dfget node in {@code home}: 5 minutes of keep-alive, random ports. */
  public static NodeConfig defaults(Path home) {
    return new NodeConfig(home, KIND_DFGET, 0, 0, "0.0.0.0", null, 0, 0, 4, 32L << 20,
        Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(20), 20L << 30, 64L << 20,
        ClusterAccess.NONE);
  }

  public Path dataDir() {
    return home.resolve("data");
  }

  public Path logDir() {
    return home.resolve("logs");
  }

  public NodeConfig withKind(String k) {
    return new NodeConfig(home, k, uploadPort, localPort, bindHost, advertiseHost, uploadLimit, totalLimit,
        parallelism, memoryBudget, pieceTimeout, keepAlive, heartbeat, cacheBytes, minFreeBytes, access);
  }

  public NodeConfig withPorts(int upload, int local) {
    return new NodeConfig(home, kind, upload, local, bindHost, advertiseHost, uploadLimit, totalLimit,
        parallelism, memoryBudget, pieceTimeout, keepAlive, heartbeat, cacheBytes, minFreeBytes, access);
  }

  public NodeConfig withAddresses(String bind, String advertise) {
    return new NodeConfig(home, kind, uploadPort, localPort, bind, advertise, uploadLimit, totalLimit,
        parallelism, memoryBudget, pieceTimeout, keepAlive, heartbeat, cacheBytes, minFreeBytes, access);
  }

  public NodeConfig withLimits(long upload, long total) {
    return new NodeConfig(home, kind, uploadPort, localPort, bindHost, advertiseHost, upload, total,
        parallelism, memoryBudget, pieceTimeout, keepAlive, heartbeat, cacheBytes, minFreeBytes, access);
  }

  public NodeConfig withKeepAlive(Duration k) {
    return new NodeConfig(home, kind, uploadPort, localPort, bindHost, advertiseHost, uploadLimit, totalLimit,
        parallelism, memoryBudget, pieceTimeout, k, heartbeat, cacheBytes, minFreeBytes, access);
  }

  public NodeConfig withTimings(Duration piece, Duration beat) {
    return new NodeConfig(home, kind, uploadPort, localPort, bindHost, advertiseHost, uploadLimit, totalLimit,
        parallelism, memoryBudget, piece, keepAlive, beat, cacheBytes, minFreeBytes, access);
  }

  /** With the limits of the node's kept files and the free space its disks keep. */
  public NodeConfig withCache(long maxBytes, long minFree) {
    return new NodeConfig(home, kind, uploadPort, localPort, bindHost, advertiseHost, uploadLimit, totalLimit,
        parallelism, memoryBudget, pieceTimeout, keepAlive, heartbeat, maxBytes, minFree, access);
  }

  /** With the cluster secret and TLS used towards supernodes and peers, and asked of peers on the upload port. */
  public NodeConfig withAccess(ClusterAccess a) {
    return new NodeConfig(home, kind, uploadPort, localPort, bindHost, advertiseHost, uploadLimit, totalLimit,
        parallelism, memoryBudget, pieceTimeout, keepAlive, heartbeat, cacheBytes, minFreeBytes, a);
  }

  /** The disk rule of the node's kept files. */
  public io.damselfly.common.DiskQuota cacheQuota() {
    return new io.damselfly.common.DiskQuota(cacheBytes, minFreeBytes);
  }

  private static void check(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
    }
  }
}
