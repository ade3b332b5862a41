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
 */
public record ServerConfig(
    String name,
    String bindHost,
    int port,
    int maxRequestBody,
    Duration idleTimeout,
    int maxConnections,
    long uploadBytesPerSecond) {

  public ServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " port must be in [0, 65535], got " + port);
    }
    if (maxRequestBody < 0) {
      throw new IllegalArgumentException("maxRequestBody must be >= 0, got " + maxRequestBody);
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
    }
    if (uploadBytesPerSecond < 0) {
      throw new IllegalArgumentException("uploadBytesPerSecond must be >= 0, got " + uploadBytesPerSecond);
    }
  }

  /** Defaults: all interfaces, 1 MiB bodies, 60 s idle, 4096 connections, no upload cap. */
  public static ServerConfig defaults(String name, int port) {
    return new ServerConfig(name, "0.0.0.0", port, 1 << 20, Duration.ofSeconds(60), 4096, 0);
  }

  public ServerConfig withBindHost(String host) {
    return new ServerConfig(name, host, port, maxRequestBody, idleTimeout, maxConnections, uploadBytesPerSecond);
  }

  public ServerConfig withUploadLimit(long bytesPerSecond) {
    return new ServerConfig(name, bindHost, port, maxRequestBody, idleTimeout, maxConnections, bytesPerSecond);
  }

  public ServerConfig withIdleTimeout(Duration timeout) {
    return new ServerConfig(name, bindHost, port, maxRequestBody, timeout, maxConnections, uploadBytesPerSecond);
  }
}
