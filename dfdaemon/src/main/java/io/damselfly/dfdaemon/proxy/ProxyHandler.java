package io.damselfly.dfdaemon.proxy;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.ProxyRule;
import io.damselfly.dfdaemon.fetch.ContentStreamer;
import io.damselfly.dfdaemon.fetch.Headers;
import io.damselfly.dfdaemon.fetch.P2pFetch;
import io.damselfly.dfdaemon.fetch.P2pFetches;
import io.damselfly.dfdaemon.fetch.UpstreamClient;
import io.damselfly.dfdaemon.registry.BlobService;
import io.damselfly.dfdaemon.registry.RegistryMirror;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The HTTP proxy ({@code HTTP_PROXY=http://127.0.0.1:65001}): an absolute URL the first matching rule sends
 * over P2P is downloaded through the peer node (a registry blob URL as the blob of its digest, behind the
 * registry's access check); every other request passes through to its origin untouched. Requests
 * decrypted from an intercepted {@code CONNECT} tunnel follow the same rules.
 */
public final class ProxyHandler {
  private final List<ProxyRule> rules;
  private final BlobService blobs;
  private final P2pFetches fetches;
  private final ContentStreamer streamer;
  private final UpstreamClient upstream;
  private final List<String> supernodes;

  public ProxyHandler(List<ProxyRule> rules, BlobService blobs, P2pFetches fetches, ContentStreamer streamer,
      UpstreamClient upstream, List<String> supernodes) {
    this.rules = List.copyOf(rules);
    this.blobs = blobs;
    this.fetches = fetches;
    this.streamer = streamer;
    this.upstream = upstream;
    this.supernodes = List.copyOf(supernodes);
  }

  /** True when the request's target is an absolute URL (a proxy request). */
  public static boolean isProxyRequest(Request r) {
    return r.uri().startsWith("http://") || r.uri().startsWith("https://");
  }

  /** Whether {@code url} goes over P2P: the first matching rule decides; no match means direct. */
  public boolean overP2p(String url) {
    for (ProxyRule rule : rules) {
      if (rule.matches(url)) {
        return !rule.direct();
      }
    }
    return false;
  }

  /** Serves a request for the absolute {@code url}. */
  public Response serve(String url, Request r) throws InterruptedException {
    boolean head = r.method().equals(HttpMethod.HEAD);
    if (!r.method().equals(HttpMethod.GET) || supernodes.isEmpty() || !overP2p(url)) {
      return UpstreamClient.relay(upstream.forward(r.method().name(), url, r.headers(), r.body()), head);
    }
    URI u = URI.create(url);
    String base = u.getScheme() + "://" + u.getRawAuthority();
    Matcher blob = RegistryMirror.BLOB.matcher(u.getRawPath() == null ? "" : u.getRawPath());
    if (u.getRawQuery() == null && blob.matches() && RegistryMirror.validName(blob.group(1))) {
      return blobs.serve(base, blob.group(1), Digest.parse(blob.group(2)), r);
    }
    String auth = r.headers().get(HttpHeaderNames.AUTHORIZATION);
    P2pFetch fetch = fetches.obtain("url " + url, false, out -> DownloadRequest.builder(url, out)
        .headers(Headers.forOrigin(r.headers(), null)).backToSource(false).nodes(supernodes)
        .callSystem("dfdaemon-proxy").build());
    var headers = new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
    return streamer.respond(fetch, -1, r.headers().get(HttpHeaderNames.RANGE), null, headers,
            new ContentStreamer.Origin(url, auth))
        .orElseGet(() -> UpstreamClient.relay(upstream.forward("GET", url, r.headers(), r.body()), false));
  }
}
