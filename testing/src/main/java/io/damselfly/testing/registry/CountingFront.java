package io.damselfly.testing.registry;

import io.damselfly.protocol.Headers;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny reverse proxy in front of a registry that counts what the registry really sends: blob body bytes
 * per digest (GETs of {@code /v2/<name>/blobs/<digest>}), and every request's method, path and headers.
 * Everything is forwarded as it is, in both directions.
 */
public final class CountingFront implements AutoCloseable {
  /** One request the front saw: method, request target (with its query), path and headers. */
  public record Seen(String method, String uri, String path, HttpHeaders headers) {}

  private static final Pattern BLOB = Pattern.compile("/v2/.+/blobs/(sha256:[0-9a-f]{64})");

  private final String target;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, AtomicLong> blobBytes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> blobGets = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private CountingFront(String target) {
    this.target = target;
    this.server = HttpServer.start(ServerConfig.defaults("counting-front", 0).withBindHost("127.0.0.1"),
        new Router().fallback(this::forward));
  }

  /** Starts a front for the registry at {@code targetUrl} ({@code http://host:port}). */
  public static CountingFront start(String targetUrl) {
    return new CountingFront(targetUrl);
  }

  public int port() {
    return server.port();
  }

  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public String url() {
    return "http://" + hostPort();
  }

  /** Body bytes the registry sent for GETs of blob {@code digest} (every repository). */
  public long blobBytes(String digest) {
    AtomicLong n = blobBytes.get(digest);
    return n == null ? 0 : n.get();
  }

  /** GETs of blob {@code digest} that the registry answered with 2xx. */
  public long blobGets(String digest) {
    AtomicLong n = blobGets.get(digest);
    return n == null ? 0 : n.get();
  }

  public List<Seen> requests() {
    return List.copyOf(seen);
  }

  private Response forward(Request r) throws Exception {
    seen.add(new Seen(r.method().name(), r.uri(), r.path(), r.headers().copy()));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + r.uri()));
    r.headers().forEach(h -> {
      if (!Headers.hopByHop(h.getKey())) {
        b.header(h.getKey(), h.getValue());
      }
    });
    b.method(r.method().name(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    HttpResponse<InputStream> res = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpHeaders headers = new DefaultHttpHeaders();
    res.headers().map().forEach((name, values) -> {
      if (!Headers.hopByHop(name) && !name.startsWith(":")) {
        values.forEach(v -> headers.add(name, v));
      }
    });
    long length = res.headers().firstValue("transfer-encoding").isPresent() ? -1
        : res.headers().firstValueAsLong("content-length").orElse(-1);
    Matcher m = BLOB.matcher(r.path());
    String digest = r.method().equals(HttpMethod.GET) && m.matches() && res.statusCode() / 100 == 2 ? m.group(1) : null;
    if (digest != null) {
      blobGets.computeIfAbsent(digest, d -> new AtomicLong()).incrementAndGet();
    }
    if (r.method().equals(HttpMethod.HEAD)) {
      res.body().close();
      return new Response.Streaming(HttpResponseStatus.valueOf(res.statusCode()), headers, length, sink -> {});
    }
    return new Response.Streaming(HttpResponseStatus.valueOf(res.statusCode()), headers, length, sink -> {
      try (InputStream in = res.body()) {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
          sink.write(buf, 0, n);
          if (digest != null) {
            blobBytes.computeIfAbsent(digest, d -> new AtomicLong()).addAndGet(n);
          }
        }
      }
    });
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
