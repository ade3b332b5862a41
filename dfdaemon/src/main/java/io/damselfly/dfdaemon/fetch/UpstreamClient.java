package io.damselfly.dfdaemon.fetch;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.transport.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * HTTP to registries and origins: forwards a client's request as it is (no redirects followed, so the
 * client sees them) and relays the answer as it is; or fetches a blob following redirects itself, sending
 * the registry's credentials only to the registry's own host.
 */
public final class UpstreamClient implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client;
  private final Duration headerTimeout;

  public UpstreamClient(SSLContext tls, Duration connectTimeout, Duration headerTimeout) {
    this.client = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).sslContext(tls).build();
    this.headerTimeout = headerTimeout;
  }

  /** Sends {@code method url} with the client's end-to-end headers and body; returns once the head arrived. */
  public HttpResponse<InputStream> forward(String method, String url, HttpHeaders headers, byte[] body) {
    HttpRequest.Builder b = request(url);
    Headers.copy(headers, b);
    b.method(method, body.length == 0 && !method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return send(b.build(), url);
  }

  /**
   * GETs {@code url} with {@code authorization} (may be null) and {@code range} (may be null), following
   * up to five redirects; credentials go only to the first URL's host (signed storage URLs carry their own).
   */
  public HttpResponse<InputStream> fetch(String url, String authorization, String range) {
    URI first = URI.create(url);
    URI at = first;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder b = request(at.toString()).GET();
      if (authorization != null && sameOrigin(first, at)) {
        b.header("Authorization", authorization);
      }
      if (range != null) {
        b.header("Range", range);
      }
      HttpResponse<InputStream> r = send(b.build(), at.toString());
      String location = r.headers().firstValue("location").orElse(null);
      if (r.statusCode() / 100 != 3 || location == null || hop == MAX_REDIRECTS) {
        return r;
      }
      close(r);
      at = at.resolve(location);
    }
  }

  /** A HEAD of {@code url} with {@code authorization} (may be null); redirects are not followed. */
  public HttpResponse<InputStream> head(String url, String authorization) {
    HttpRequest.Builder b = request(url).method("HEAD", HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.build(), url);
  }

  /** The upstream's answer as ours: status, end-to-end headers and body streamed as they come. */
  public static Response relay(HttpResponse<InputStream> r, boolean head) {
    HttpHeaders h = Headers.fromUpstream(r.headers());
    long length = contentLength(r);
    if (head || r.statusCode() == 204 || r.statusCode() == 304) {
      close(r);
      if (length < 0 || r.statusCode() == 204 || r.statusCode() == 304) {
        return new Response.Full(HttpResponseStatus.valueOf(r.statusCode()), h, new byte[0]);
      }
      return new Response.Streaming(HttpResponseStatus.valueOf(r.statusCode()), h, length, sink -> {});
    }
    return new Response.Streaming(HttpResponseStatus.valueOf(r.statusCode()), h, length, sink -> {
      try (InputStream in = r.body()) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) >= 0; ) {
          sink.write(buf, 0, n);
        }
      }
    });
  }

  /** The declared body length, or -1 when the body is chunked or unbounded. */
  public static long contentLength(HttpResponse<?> r) {
    if (r.headers().firstValue("transfer-encoding").isPresent()) {
      return -1;
    }
    return r.headers().firstValueAsLong(HttpHeaderNames.CONTENT_LENGTH.toString()).orElse(-1);
  }

  public static void close(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException ignored) {
      // the exchange is abandoned either way
    }
  }

  private HttpRequest.Builder request(String url) {
    try {
      return HttpRequest.newBuilder(URI.create(url)).timeout(headerTimeout);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL the daemon can fetch: '" + url + "'");
    }
  }

  private HttpResponse<InputStream> send(HttpRequest request, String url) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "cannot reach " + hostOf(url) + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted", 0, e);
    }
  }

  private static String hostOf(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && String.valueOf(a.getRawAuthority())
        .equalsIgnoreCase(String.valueOf(b.getRawAuthority()));
  }

  @Override
  public void close() {
    client.close();
    executor.shutdownNow();
  }
}
