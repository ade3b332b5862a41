package io.damselfly.dfdaemon.registry;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.dfdaemon.fetch.ContentStreamer;
import io.damselfly.dfdaemon.fetch.P2pFetch;
import io.damselfly.dfdaemon.fetch.P2pFetches;
import io.damselfly.dfdaemon.fetch.UpstreamClient;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/blobs/sha256:<hex>}: after the registry's access check, from the cache, else over
 * P2P as one task per digest (whatever repository or URL names it), else from the registry; every byte
 * verified against the digest.
 */
public final class BlobService {
  private final AccessGuard guard;
  private final BlobCache cache;
  private final P2pFetches fetches;
  private final ContentStreamer streamer;
  private final UpstreamClient upstream;
  private final List<String> supernodes;

  public BlobService(AccessGuard guard, BlobCache cache, P2pFetches fetches, ContentStreamer streamer,
      UpstreamClient upstream, List<String> supernodes) {
    this.guard = guard;
    this.cache = cache;
    this.fetches = fetches;
    this.streamer = streamer;
    this.upstream = upstream;
    this.supernodes = List.copyOf(supernodes);
  }

  /** Serves a blob of {@code repo} in the registry at {@code base} ({@code scheme://host[:port]}). */
  public Response serve(String base, String repo, Digest digest, Request r) throws InterruptedException {
    String auth = r.headers().get(HttpHeaderNames.AUTHORIZATION);
    String url = base + "/v2/" + repo + "/blobs/" + digest;
    AccessGuard.Verdict verdict = guard.check(base, repo, digest, auth);
    if (!verdict.allowed()) {
      // the registry's own answer to this client (401 with its challenge, 403, 404): never our bytes
      return UpstreamClient.relay(upstream.forward("GET", url, r.headers(), new byte[0]), false);
    }
    String range = r.headers().get(HttpHeaderNames.RANGE);
    ContentStreamer.Origin origin = new ContentStreamer.Origin(url, auth);
    String key = BlobCache.blobKey(digest);
    Optional<Response> cached = streamer.fromCache(key, range, digest, headers(digest), origin);
    if (cached.isPresent()) {
      return cached.get();
    }
    if (supernodes.isEmpty()) {
      return streamer.fromOrigin(origin, range, digest, false);
    }
    Map<String, List<String>> originHeaders = auth == null ? Map.of() : Map.of("Authorization", List.of(auth));
    P2pFetch fetch = fetches.obtain(key, true, out -> DownloadRequest.builder(url, out)
        .headers(originHeaders).expectedDigest(digest.toString()).backToSource(false).nodes(supernodes)
        .callSystem("dfdaemon").build());
    return streamer.respond(fetch, verdict.contentLength(), range, digest, headers(digest), origin)
        .orElseGet(() -> streamer.fromOrigin(origin, range, digest, false));
  }

  private static HttpHeaders headers(Digest digest) {
    return new DefaultHttpHeaders()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
        .set("Docker-Content-Digest", digest.toString())
        .set(HttpHeaderNames.ETAG, "\"" + digest + "\"");
  }
}
