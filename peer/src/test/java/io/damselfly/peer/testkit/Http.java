package io.damselfly.peer.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.damselfly.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON-over-HTTP client for tests, on the JDK's client; close it after use. */
public final class Http implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** POSTs {@code body} as it is (no JSON encoding) and reads the whole answer. */
  public HttpResponse<byte[]> postRaw(String url, byte[] body) throws IOException, InterruptedException {
    return client.send(post(url, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** POSTs {@code value} as JSON and decodes a 2xx answer as {@code type}. */
  public <T> T postJson(String url, Object value, Class<T> type) throws IOException, InterruptedException {
    return decode(postRaw(url, Json.write(value)), type);
  }

  /** GETs {@code url} and decodes a 2xx answer as {@code type}. */
  public <T> T getJson(String url, TypeReference<T> type) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = get(url);
    requireOk(r);
    return Json.mapper().readValue(r.body(), type);
  }

  /** A POST of {@code body} with a JSON content type, for callers that read the answer themselves. */
  public static HttpRequest post(String url, byte[] body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  public HttpClient client() {
    return client;
  }

  private static <T> T decode(HttpResponse<byte[]> r, Class<T> type) {
    requireOk(r);
    return Json.read(r.body(), type);
  }

  private static void requireOk(HttpResponse<byte[]> r) {
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": "
          + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
