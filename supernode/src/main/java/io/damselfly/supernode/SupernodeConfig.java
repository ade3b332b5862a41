package io.damselfly.supernode;

import io.damselfly.common.DiskQuota;
import io.damselfly.common.PieceLayout;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.ClusterAccess;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Supernode settings, sealed at start.
 *
 * @param apiPort peer API port (default 8002; 0 = random)
 * @param piecePort piece download port (default 8001; 0 = random)
 * @param bindHost address both servers listen on (default 0.0.0.0)
 * @param advertiseHost host given to peers for the piece port; null = the address the peer reached us on
 * @param dataDir where the CDN keeps files (default ~/.small-dragonfly/supernode)
 * @param revalidateAfter a stored file is served without asking the origin for this long after its last
 *     check; then a conditional GET (ETag / Last-Modified) decides (default 60 s; 0 = check every time)
 * @param maxUploadsPerPeer assignments one peer serves at once (default 4)
 * @param maxCdnUploads assignments the CDN serves at once (default 64)
 * @param pieceTimeout an assignment not reported within this is released (default 30 s)
 * @param peerTtl a peer not heard from within this is gone (default 60 s)
 * @param longPollWait how long a schedule request waits for work before answering WAIT (default 1 s)
 * @param maxBatch most assignments in one answer (default 16)
 * @param isolationFailures consecutive failed uploads that isolate a peer (default 3)
 * @param originConnectTimeout connecting to the origin (default 10 s)
 * @param originHeaderTimeout waiting for the origin's response headers (default 30 s)
 * @param access cluster secret and TLS asked of peers on both ports (default none: plain HTTP, no secret)
 * @param adminToken bearer token admin routes ({@code DELETE /api/v1/tasks/{taskId}}) require; null (default):
 *     admin routes answer loopback callers only
 * @param cacheBytes most bytes of files the CDN keeps (default 100 GiB); complete files are evicted least recently
 *     used first to make room, and a file that cannot fit is refused with 507 before it is fetched
 * @param minFreeBytes free bytes the CDN's disk keeps (default 1 GiB), the same way
 * @param minPieceSize the smallest piece size the CDN cuts a file into (default 4 MiB; a power of two from 64 KiB to
 *     16 MiB): files up to 4 GiB get pieces of this size, larger ones about 1024 pieces (see {@link PieceLayout})
 */
public record SupernodeConfig(
    int apiPort,
    int piecePort,
    String bindHost,
    String advertiseHost,
    Path dataDir,
    Duration revalidateAfter,
    int maxUploadsPerPeer,
    int maxCdnUploads,
    Duration pieceTimeout,
    Duration peerTtl,
    Duration longPollWait,
    int maxBatch,
    int isolationFailures,
    Duration originConnectTimeout,
    Duration originHeaderTimeout,
    ClusterAccess access,
    String adminToken,
    long cacheBytes,
    long minFreeBytes,
    int minPieceSize) {

  public SupernodeConfig {
    requirePort("apiPort", apiPort);
    requirePort("piecePort", piecePort);
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir must be set");
    }
    requirePositive("maxUploadsPerPeer", maxUploadsPerPeer);
    requirePositive("maxCdnUploads", maxCdnUploads);
    requirePositive("maxBatch", maxBatch);
    requirePositive("isolationFailures", isolationFailures);
    for (Duration d : new Duration[] {pieceTimeout, peerTtl, longPollWait, originConnectTimeout, originHeaderTimeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive, got " + d);
      }
    }
    if (access == null) {
      throw new IllegalArgumentException("access must be given (ClusterAccess.NONE for none)");
    }
    if (adminToken != null && (adminToken.length() < 16 || adminToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      throw new IllegalArgumentException("admin token must be at least 16 printable ASCII characters without spaces");
    }
    new DiskQuota(cacheBytes, minFreeBytes);
    PieceLayout.checkMinPieceSize(minPieceSize);
    if (revalidateAfter == null || revalidateAfter.isNegative()) {
      throw new IllegalArgumentException("revalidateAfter must be >= 0, got " + revalidateAfter);
    }
  }

  /** The documented defaults, with data under {@code home/supernode}. */
  public static SupernodeConfig defaults(Path home) {
    return new SupernodeConfig(ProtocolV1.DEFAULT_API_PORT, ProtocolV1.DEFAULT_PIECE_PORT, "0.0.0.0", null,
        home.resolve("supernode"), Duration.ofSeconds(60), 4, 64, Duration.ofSeconds(30), Duration.ofSeconds(60),
        Duration.ofSeconds(1), 16, 3, Duration.ofSeconds(10), Duration.ofSeconds(30), ClusterAccess.NONE, null,
        100L << 30, 1L << 30, PieceLayout.DEFAULT_MIN_PIECE_SIZE);
  }

  /** Defaults on random loopback ports, for tests, with 256 KiB pieces so that small test files have many. */
  public static SupernodeConfig forTests(Path dataDir) {
    return defaults(dataDir).withPorts(0, 0).withBindHost("127.0.0.1").withDataDir(dataDir)
        .withMinPieceSize(256 * 1024);
  }

  /** With the smallest piece size the CDN cuts files into (see {@link PieceLayout#forLength(long, int)}). */
  public SupernodeConfig withMinPieceSize(int bytes) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, bytes);
  }

  public SupernodeConfig withPorts(int api, int pieces) {
    return new SupernodeConfig(api, pieces, bindHost, advertiseHost, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  public SupernodeConfig withBindHost(String host) {
    return new SupernodeConfig(apiPort, piecePort, host, advertiseHost, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  public SupernodeConfig withAdvertiseHost(String host) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, host, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  public SupernodeConfig withDataDir(Path dir) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  public SupernodeConfig withRevalidateAfter(Duration d) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dataDir, d, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  public SupernodeConfig withLimits(int uploadsPerPeer, Duration ttl) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dataDir, revalidateAfter, uploadsPerPeer,
        maxCdnUploads, pieceTimeout, ttl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  /** Cluster secret and TLS of both ports, and the admin token (null: admin routes for loopback callers only). */
  public SupernodeConfig withAccess(ClusterAccess a, String token) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, a, token, cacheBytes, minFreeBytes, minPieceSize);
  }

  /** Never prints the admin token. */
  @Override
  public String toString() {
    return "SupernodeConfig[api=" + apiPort + ", pieces=" + piecePort + ", bind=" + bindHost + ", data=" + dataDir
        + ", access=" + access + ", adminToken=" + (adminToken == null ? "none" : "***") + "]";
  }

  /** With the CDN's size limit and free-space watermark. */
  public SupernodeConfig withCache(long maxBytes, long minFree) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, pieceTimeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, maxBytes, minFree, minPieceSize);
  }

  /** With the time an assignment may stay unreported before it is released and given to another peer. */
  public SupernodeConfig withPieceTimeout(Duration timeout) {
    return new SupernodeConfig(apiPort, piecePort, bindHost, advertiseHost, dataDir, revalidateAfter, maxUploadsPerPeer,
        maxCdnUploads, timeout, peerTtl, longPollWait, maxBatch, isolationFailures, originConnectTimeout,
        originHeaderTimeout, access, adminToken, cacheBytes, minFreeBytes, minPieceSize);
  }

  /** The CDN's disk rule. */
  public DiskQuota cacheQuota() {
    return new DiskQuota(cacheBytes, minFreeBytes);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
    }
  }

  private static void requirePositive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
  }
}
