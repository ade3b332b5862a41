package io.damselfly.transport;

import io.damselfly.protocol.ProtocolV1;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * How the nodes of one cluster (supernodes, peers) let each other in: an optional shared secret
 * every request carries in {@link ProtocolV1#HEADER_SECRET}, and optional TLS. Both off by default.
 *
 * @param secret the cluster secret, or null for none; at least 8 characters, no control characters
 * @param tls the node's TLS files, or null for plain HTTP
 * @param metricsToken a read-only token that admits {@code GET /metrics} without the secret
 *     ({@code Authorization: Bearer <token>}, for Prometheus), or null for none; at least 16 characters
 */
public record ClusterAccess(String secret, TlsFiles tls, String metricsToken) {
  /** Plain HTTP, no secret: the default. */
  public static final ClusterAccess NONE = new ClusterAccess(null, null);

  public ClusterAccess {
    if (secret != null) {
      if (secret.length() < 8 || secret.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException(
            "cluster secret must be at least 8 printable ASCII characters without spaces");
      }
    }
    if (metricsToken != null && (metricsToken.length() < 16 || metricsToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      throw new IllegalArgumentException("metrics token must be at least 16 printable ASCII characters without spaces");
    }
  }

  /** Access without a metrics token. */
  public ClusterAccess(String secret, TlsFiles tls) {
    this(secret, tls, null);
  }

  /** This access with a read-only token for {@code GET /metrics} (blank: none). */
  public ClusterAccess withMetricsToken(String token) {
    return new ClusterAccess(secret, tls, blankToNull(token));
  }

  /** True when {@code authorization} is {@code Bearer <metricsToken>} (constant-time compare). */
  public boolean admitsMetrics(String authorization) {
    if (metricsToken == null || authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(sha256(metricsToken), sha256(authorization.substring("Bearer ".length()).trim()));
  }

  /**
   * From command-line options: any of them may be null; TLS is on when a certificate or key is given
   * (then both must be).
   */
  public static ClusterAccess of(String secret, java.nio.file.Path cert, java.nio.file.Path key,
      java.nio.file.Path ca) {
    if (cert == null && key == null) {
      if (ca != null) {
        throw new IllegalArgumentException("--tls-ca needs --tls-cert and --tls-key too");
      }
      return new ClusterAccess(blankToNull(secret), null);
    }
    return new ClusterAccess(blankToNull(secret), new TlsFiles(cert, key, ca));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public ClusterAccess withSecret(String s) {
    return new ClusterAccess(s, tls, metricsToken);
  }

  public ClusterAccess withTls(TlsFiles t) {
    return new ClusterAccess(secret, t, metricsToken);
  }

  /** "https" when TLS is on, else "http". */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /** The URL of {@code path} on a cluster node at {@code authority} ({@code host:port}, IPv6 in brackets). */
  public URI uri(String authority, String path) {
    return URI.create(scheme() + "://" + authority + path);
  }

  /** A request builder for {@code uri} that carries the secret, when there is one. */
  public HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (secret != null) {
      b.header(ProtocolV1.HEADER_SECRET, secret);
    }
    return b;
  }

  /** True when no secret is configured, or {@code presented} equals it (constant-time compare). */
  public boolean admits(String presented) {
    if (secret == null) {
      return true;
    }
    // compare digests, so neither the content nor the length of the secret shows in the timing
    return presented != null && MessageDigest.isEqual(sha256(secret), sha256(presented));
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "ClusterAccess[secret=" + (secret == null ? "none" : "***") + ", tls=" + tls + ", metricsToken="
        + (metricsToken == null ? "none" : "***") + "]";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
