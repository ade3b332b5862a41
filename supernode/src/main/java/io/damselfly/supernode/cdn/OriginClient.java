package io.damselfly.supernode.cdn;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Headers;
import io.damselfly.protocol.RegisterRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Talks to origins: a GET forwarding the user's headers, optionally conditional. Redirects are followed
 * here (at most {@value #MAX_REDIRECTS}, never from https to http), and credentials go only to the host the
 * user named: a registry redirecting a blob to signed object-storage URLs must not leak its token there
 * (and the storage would refuse a second auth mechanism).
 */
public final class OriginClient implements AutoCloseable {
  /** Headers never forwarded to an origin besides the hop-by-hop ones: those the CDN sets itself. */
  private static final Set<String> DROPPED = Set.of("range", "if-range", "accept-encoding", "if-none-match",
      "if-modified-since");

  private static final int MAX_REDIRECTS = 10;
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");

  private final HttpClient client;
  private final Duration headerTimeout;

  public OriginClient(Duration connectTimeout, Duration headerTimeout) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    this.headerTimeout = headerTimeout;
  }

  /** Sends the GET and returns once the origin's status and headers arrived; the body streams after. */
  HttpResponse<InputStream> get(RegisterRequest request, String etag, String lastModified) {
    Map<String, String> extra = new java.util.LinkedHashMap<>();
    if (etag != null) {
      extra.put("If-None-Match", etag);
    } else if (lastModified != null) {
      extra.put("If-Modified-Since", lastModified);
    }
    return send(request, extra);
  }

  /**
   * Asks for the rest of one version of the file, from byte {@code offset}: {@code Range} with
   * {@code If-Range: validator}, so an origin whose file changed answers 200 with the whole new file
   * instead of a 206 that would splice two versions.
   */
  HttpResponse<InputStream> getFrom(RegisterRequest request, long offset, String validator) {
    Map<String, String> extra = new java.util.LinkedHashMap<>();
    extra.put("Range", "bytes=" + offset + "-");
    extra.put("If-Range", validator);
    return send(request, extra);
  }

  /**
   * Asks for bytes {@code [start, endInclusive]} of one version of the file again (a repair): {@code Range}
   * with {@code If-Range: validator} when there is one, so an origin whose file changed answers 200 with the
   * whole new file; so does an origin that cannot do ranges.
   */
  HttpResponse<InputStream> getRange(RegisterRequest request, long start, long endInclusive, String validator) {
    Map<String, String> extra = new java.util.LinkedHashMap<>();
    extra.put("Range", "bytes=" + start + "-" + endInclusive);
    if (validator != null) {
      extra.put("If-Range", validator);
    }
    return send(request, extra);
  }

  /** The start of a 206 answer's {@code Content-Range}, or -1 when it has none. */
  static long rangeStart(HttpResponse<?> r) {
    String cr = r.headers().firstValue("content-range").orElse("");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes (\\d+)-").matcher(cr);
    return r.statusCode() == 206 && m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private HttpResponse<InputStream> send(RegisterRequest request, Map<String, String> extra) {
    URI first = io.damselfly.protocol.TaskIdentity.parseOriginUrl(request.url());
    URI uri = first;
    try {
      for (int hop = 0; ; hop++) {
        boolean sameOrigin = authority(uri).equals(authority(first));
        HttpResponse<InputStream> r = client.send(build(uri, request, sameOrigin, extra),
            HttpResponse.BodyHandlers.ofInputStream());
        int s = r.statusCode();
        boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
        if (!redirect || r.headers().firstValue("location").isEmpty()) {
          return r;
        }
        discard(r);
        URI next = uri.resolve(r.headers().firstValue("location").get());
        if (hop + 1 >= MAX_REDIRECTS) {
          throw new ApiException(ErrorCode.ORIGIN_ERROR, "origin redirected more than " + MAX_REDIRECTS + " times: " + request.url());
        }
        if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
          throw new ApiException(ErrorCode.ORIGIN_ERROR, "origin redirected from https to " + next.getScheme() + ": refused");
        }
        io.damselfly.protocol.TaskIdentity.parseOriginUrl(next.toString());
        uri = next;
      }
    } catch (HttpTimeoutException e) {
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "origin did not answer in " + headerTimeout.toSeconds() + " s: " + request.url(), 0, e);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "cannot reach origin " + request.url() + ": " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted", 0, e);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "origin redirected to an unusable URL: " + e.getMessage(), 0, e);
    }
  }

  private HttpRequest build(URI uri, RegisterRequest request, boolean sameOrigin, Map<String, String> extra) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(headerTimeout).GET().header("Accept-Encoding", "identity");
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (Headers.hopByHop(name) || DROPPED.contains(name) || (!sameOrigin && CREDENTIALS.contains(name))) {
        continue;
      }
      for (String v : h.getValue()) {
        try {
          b.header(h.getKey(), v);
        } catch (IllegalArgumentException e) {
          throw new ApiException(ErrorCode.BAD_REQUEST, "header " + h.getKey() + " cannot be sent: " + e.getMessage());
        }
      }
    }
    extra.forEach(b::header);
    return b.build();
  }

  private static String authority(URI u) {
    int port = u.getPort() >= 0 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
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
