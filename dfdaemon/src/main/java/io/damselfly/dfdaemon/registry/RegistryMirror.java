package io.damselfly.dfdaemon.registry;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.Upstream;
import io.damselfly.dfdaemon.fetch.UpstreamClient;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry mirror ({@code /v2/...} on the daemon's port): blobs by digest go to {@link BlobService};
 * everything else (the {@code /v2/} ping, manifests, tags, catalog, uploads, HEAD) passes through to the
 * registry with every header and comes back as the registry sent it. containerd's {@code ns=} parameter
 * picks the registry; without it the first configured one serves.
 */
public final class RegistryMirror implements Handler {
  /** A blob of a repository: the name's path components, then the digest. */
  public static final Pattern BLOB = Pattern.compile("/v2/([a-z0-9][a-z0-9._/-]*)/blobs/(sha256:[0-9a-fA-F]{64})");

  private final List<Upstream> registries;
  private final BlobService blobs;
  private final UpstreamClient upstream;

  public RegistryMirror(List<Upstream> registries, BlobService blobs, UpstreamClient upstream) {
    this.registries = List.copyOf(registries);
    this.blobs = blobs;
    this.upstream = upstream;
  }

  @Override
  public Response handle(Request r) throws InterruptedException {
    if (!r.path().equals("/v2") && !r.path().startsWith("/v2/")) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no route for " + r.path()
          + ": this port serves the registry API under /v2/, the local API and proxy requests");
    }
    Upstream up = select(r.queryParam("ns"));
    Matcher m = BLOB.matcher(r.path());
    if (r.method().equals(HttpMethod.GET) && m.matches() && validName(m.group(1))) {
      return blobs.serve(up.url().toString(), m.group(1), Digest.parse(m.group(2)), r);
    }
    String url = up.resolve(r.path() + queryWithoutNs(r.uri()));
    boolean head = r.method().equals(HttpMethod.HEAD);
    return UpstreamClient.relay(upstream.forward(r.method().name(), url, r.headers(), r.body()), head);
  }

  /** True for a repository name without empty or dot-only path components. */
  public static boolean validName(String name) {
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private Upstream select(String ns) {
    if (registries.isEmpty()) {
      throw new ApiException(ErrorCode.NOT_FOUND, "the registry mirror is off: start dfdaemon with --registry URL");
    }
    if (ns == null || ns.isBlank()) {
      return registries.get(0);
    }
    String want = ns.trim().toLowerCase(Locale.ROOT);
    return registries.stream().filter(u -> u.names().contains(want)).findFirst()
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no registry is configured for ns=" + ns
            + "; add it under registries: in the config file"));
  }

  private static String queryWithoutNs(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String part : uri.substring(q + 1).split("&")) {
      if (part.isEmpty() || part.equals("ns") || part.startsWith("ns=")) {
        continue;
      }
      out.append(out.isEmpty() ? '?' : '&').append(part);
    }
    return out.toString();
  }
}
