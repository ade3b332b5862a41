package io.damselfly.dfdaemon.registry;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.fetch.UpstreamClient;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a client may have a blob of a repository before any byte of it leaves the daemon, even
 * a byte already in the cache or the P2P network: the registry is asked with a HEAD of that blob carrying
 * the client's own {@code Authorization}. Verdicts are reused for a short time per repository and per
 * credential (kept only as a SHA-256, never logged); a repository whose anonymous HEAD succeeded is public
 * for that time and needs no check.
 */
public final class AccessGuard {
  /**
   * The registry's verdict.
   *
   * @param allowed the client may have the blob
   * @param contentLength the blob's length when the check learned it, else -1
   */
  public record Verdict(boolean allowed, long contentLength) {}

  private static final int PRUNE_ABOVE = 10_000;
  private final UpstreamClient upstream;
  private final InstantSource clock;
  private final Duration ttl;
  private final Map<String, Instant> granted = new ConcurrentHashMap<>();

  public AccessGuard(UpstreamClient upstream, InstantSource clock, Duration ttl) {
    this.upstream = upstream;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Checks access to {@code digest} in {@code repo} of the registry at {@code base}, asking it when needed. */
  public Verdict check(String base, String repo, Digest digest, String authorization) {
    String publicKey = base + " " + repo + " public";
    String clientKey = authorization == null ? null : base + " " + repo + " " + hash(authorization);
    if (fresh(publicKey) || (clientKey != null && fresh(clientKey))) {
      return new Verdict(true, -1);
    }
    HttpResponse<InputStream> r = upstream.head(base + "/v2/" + repo + "/blobs/" + digest, authorization);
    UpstreamClient.close(r);
    int status = r.statusCode();
    if (status / 100 != 2 && status / 100 != 3) {
      return new Verdict(false, -1);
    }
    remember(authorization == null ? publicKey : clientKey);
    return new Verdict(true, status == 200 ? UpstreamClient.contentLength(r) : -1);
  }

  private boolean fresh(String key) {
    Instant until = granted.get(key);
    return until != null && clock.instant().isBefore(until);
  }

  private void remember(String key) {
    if (ttl.isZero()) {
      return;
    }
    Instant now = clock.instant();
    if (granted.size() > PRUNE_ABOVE) {
      granted.values().removeIf(until -> !now.isBefore(until));
    }
    granted.put(key, now.plus(ttl));
  }

  private static String hash(String credential) {
    var md = Digest.Algorithm.SHA256.newMessageDigest();
    return HexFormat.of().formatHex(md.digest(credential.getBytes(StandardCharsets.UTF_8)));
  }
}
