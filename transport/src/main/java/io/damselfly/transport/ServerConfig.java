package io.damselfly.transport;

import java.time.Duration;

/**
 * Settings of one HTTP server, sealed at start.
 *
 * @param name for thread names and logs
 * @param bindHost address to listen on ("0.0.0.0" for all)
 * @param port port, 0 for a random free one
 * @param maxRequestBody largest request body accepted; larger ones get 413
 * @param idleTimeout a connection with no traffic for this long is closed (slow or idle clients)
 * @param maxConnections connections beyond this are closed at once
 * @param uploadBytesPerSecond cap on bytes sent by this server, 0 for none
 * @param requestTimeout a request must arrive whole (head and body) within this from its first byte, or its
 *     connection is closed: clients that dribble bytes (slowloris) cannot hold a connection (default 60 s)
 * @param access cluster secret and TLS required of callers (default {@link ClusterAccess#NONE})
 */
public record ServerConfig(
    String name,
    String bindHost,
    int port,
    int maxRequestBody,
    Duration idleTimeout,
    int maxConnections,
    long uploadBytesPerSecond,
    Duration requestTimeout,
    ClusterAccess access) {

  /** Default of {@link #requestTimeout}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " port must be in [0, 65535], got " + port);
    }
    if (maxRequestBody < 0) {
      throw new IllegalArgumentException("maxRequestBody must be >= 0, got " + maxRequestBody);
    }
    requirePositive("idleTimeout", idleTimeout);
    requirePositive("requestTimeout", requestTimeout);
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
    }
    if (uploadBytesPerSecond < 0) {
      throw new IllegalArgumentException("uploadBytesPerSecond must be >= 0, got " + uploadBytesPerSecond);
    }
    if (access == null) {
      throw new IllegalArgumentException("access must be given (ClusterAccess.NONE for none)");
    }
  }

  /** The settings of earlier versions, with the default request timeout and no access checks. */
  public ServerConfig(String name, String bindHost, int port, int maxRequestBody, Duration idleTimeout,
      int maxConnections, long uploadBytesPerSecond) {
    this(name, bindHost, port, maxRequestBody, idleTimeout, maxConnections, uploadBytesPerSecond,
        DEFAULT_REQUEST_TIMEOUT, ClusterAccess.NONE);
  }

  /** Defaults: all interfaces, 1 MiB bodies, 60 s idle, 4096 connections, no upload cap, 60 s per request. */
  public static ServerConfig defaults(String name, int port) {
    return new ServerConfig(name, "0.0.0.0", port, 1 << 20, Duration.ofSeconds(60), 4096, 0);
  }

  public ServerConfig withBindHost(String host) {
    return new ServerConfig(name, host, port, maxRequestBody, idleTimeout, maxConnections, uploadBytesPerSecond,
        requestTimeout, access);
  }

  public ServerConfig withUploadLimit(long bytesPerSecond) {
    return new ServerConfig(name, bindHost, port, maxRequestBody, idleTimeout, maxConnections, bytesPerSecond,
        requestTimeout, access);
  }

  public ServerConfig withIdleTimeout(Duration timeout) {
    return new ServerConfig(name, bindHost, port, maxRequestBody, timeout, maxConnections, uploadBytesPerSecond,
        requestTimeout, access);
  }

  public ServerConfig withLimits(int maxBody, int connections, Duration perRequest) {
    return new ServerConfig(name, bindHost, port, maxBody, idleTimeout, connections, uploadBytesPerSecond,
        perRequest, access);
  }

  public ServerConfig withAccess(ClusterAccess a) {
    return new ServerConfig(name, bindHost, port, maxRequestBody, idleTimeout, maxConnections, uploadBytesPerSecond,
        requestTimeout, a);
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
