package io.damselfly.supernode.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A client of a supernode's API and of piece servers, over real HTTP. */
final class ApiClient implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ApiClient(int apiPort) {
    this.base = "http://127.0.0.1:" + apiPort;
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> post(String path, Object body) throws IOException, InterruptedException {
    return send("POST", path, Json.write(body));
  }

  HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  /** POSTs {@code body} and reads a 200 answer as {@code type}. */
  <T> T call(String path, Object body, Class<T> type) throws IOException, InterruptedException {
    return ok(post(path, body), type);
  }

  /** The body of a 200 answer as {@code type}. */
  static <T> T ok(HttpResponse<byte[]> r, Class<T> type) {
    assertThat(r.statusCode()).as("status of %s, body %s", r.uri(), new String(r.body())).isEqualTo(200);
    return Json.read(r.body(), type);
  }

  /** The JSON error body of an answer that must have {@code status}. */
  static ErrorBody error(HttpResponse<byte[]> r, int status) {
    assertThat(r.statusCode()).as("status of %s, body %s", r.uri(), new String(r.body())).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.headers().firstValue(ProtocolV1.HEADER_PROTOCOL)).hasValue(String.valueOf(ProtocolV1.VERSION));
    return Json.read(r.body(), ErrorBody.class);
  }

  /** GETs bytes {@code [offset, offset+length)} of a task's file from a piece server. */
  HttpResponse<byte[]> range(String host, int port, String taskId, long offset, int length, String peerId)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://" + host + ":" + port + ProtocolV1.path(ProtocolV1.FILE, taskId));
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Range", "bytes=" + offset + "-" + (offset + length - 1))
        .header(ProtocolV1.HEADER_PEER_ID, peerId).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() {
    http.close();
  }
}
