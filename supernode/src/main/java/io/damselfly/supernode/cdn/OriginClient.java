package io.damselfly.supernode.cdn;

import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.transport.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Talks to origins: a GET forwarding the user's headers, optionally conditional; redirects followed. */
public final class OriginClient implements AutoCloseable {
  /** Headers never forwarded to an origin: hop-by-hop, or ones the CDN sets itself. */
  private static final Set<String> DROPPED = Set.of("host", "connection", "keep-alive", "proxy-connection",
      "transfer-encoding", "te", "trailer", "upgrade", "content-length", "range", "accept-encoding",
      "if-none-match", "if-modified-since", "expect");

  private final HttpClient client;
  private final Duration headerTimeout;

  public OriginClient(Duration connectTimeout, Duration headerTimeout) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
    this.headerTimeout = headerTimeout;
  }

  /** Sends the GET and returns once the origin's status and headers arrived; the body streams after. */
  HttpResponse<InputStream> get(RegisterRequest request, String etag, String lastModified) {
    HttpRequest.Builder b = HttpRequest.newBuilder(io.damselfly.protocol.TaskIdentity.parseOriginUrl(request.url()))
        .timeout(headerTimeout).GET().header("Accept-Encoding", "identity");
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      if (!DROPPED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        for (String v : h.getValue()) {
          try {
            b.header(h.getKey(), v);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("header " + h.getKey() + " cannot be sent: " + e.getMessage());
          }
        }
      }
    }
    if (etag != null) {
      b.header("If-None-Match", etag);
    } else if (lastModified != null) {
      b.header("If-Modified-Since", lastModified);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "origin did not answer in " + headerTimeout.toSeconds() + " s: " + request.url(), 0, e);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "cannot reach origin " + request.url() + ": " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted", 0, e);
    }
  }

  static long contentLength(HttpResponse<?> r) {
    if (r.headers().firstValue("transfer-encoding").isPresent()) {
      return -1;
    }
    return r.headers().firstValueAsLong("content-length").orElse(-1);
  }

  static void discard(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      // closing without reading aborts the exchange: a body we will not use is not transferred
    } catch (IOException ignored) {
      // nothing to keep
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
