package io.damselfly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits that protect a server from slow, idle, greedy and unauthorised clients. */
class HardeningTest {
  private static final String SECRET = "s3cret-of-the-cluster";
  private HttpServer server;

  private void start(ServerConfig config) {
    Router router = new Router()
        .get(ProtocolV1.PING, r -> Response.text(HttpResponseStatus.OK, "OK"))
        .get("/hello", r -> Response.text(HttpResponseStatus.OK, "hello"))
        .post("/echo", r -> Response.bytes(HttpResponseStatus.OK, "application/octet-stream", r.body()));
    server = HttpServer.start(config, router);
  }

  private static ServerConfig config() {
    return ServerConfig.defaults("hardening", 0).withBindHost("127.0.0.1");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void closesAClientThatDribblesItsRequest() throws Exception {
    start(config().withLimits(1 << 20, 64, Duration.ofMillis(300)));
    byte[] request = ("GET /hello HTTP/1.1\r\nHost: x\r\n" + "X-Pad: y\r\n".repeat(400) + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    int sent = 0;
    try (Socket s = socket()) {
      OutputStream out = s.getOutputStream();
      try {
        for (; sent < request.length; sent++) {
          out.write(request[sent]);
          out.flush();
          Thread.sleep(5);
        }
      } catch (SocketException closed) {
        // the server closed on us: what we want
      }
      if (sent == request.length) {
        assertThat(s.getInputStream().read()).as("server answered a request that took too long").isEqualTo(-1);
      }
    }
    assertThat(sent).as("the server must close before the whole slow request arrived").isLessThan(request.length);
    assertThat(get("/hello", "")).startsWith("HTTP/1.1 200");
  }

  @Test
  void closesIdleConnections() throws Exception {
    start(config().withIdleTimeout(Duration.ofMillis(200)));
    try (Socket s = socket()) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void refusesBodiesOverTheLimitWith413() throws Exception {
    start(config().withLimits(1024, 64, ServerConfig.DEFAULT_REQUEST_TIMEOUT));
    String head = "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 4096\r\n\r\n";
    // the head alone: the server answers from Content-Length, before a body byte (unread bytes would reset the answer)
    assertThat(exchange(head)).startsWith("HTTP/1.1 413");
    assertThat(exchange("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc")).startsWith("HTTP/1.1 200");
  }

  @Test
  void refusesOversizedHeadersAndGarbage() throws Exception {
    start(config());
    assertThat(exchange("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n"))
        .matches(a -> a.isEmpty() || a.startsWith("HTTP/1.1 4"), "4xx or closed");
    assertThat(exchange("GET /" + "u".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .matches(a -> a.isEmpty() || a.startsWith("HTTP/1.1 4"), "4xx or closed");
    assertThat(exchange("\u0000\u0001\u0002 garbage\r\n\r\n"))
        .matches(a -> a.isEmpty() || a.startsWith("HTTP/1.1 4"), "4xx or closed");
    assertThat(exchange("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: -5\r\n\r\n"))
        .matches(a -> a.isEmpty() || a.startsWith("HTTP/1.1 4"), "4xx or closed");
    assertThat(get("/hello", "")).startsWith("HTTP/1.1 200");
  }

  @Test
  void closesConnectionsBeyondTheLimit() throws Exception {
    start(config().withLimits(1 << 20, 2, ServerConfig.DEFAULT_REQUEST_TIMEOUT));
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = socket();
        held.add(s);
        assertThat(request(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
      }
      try (Socket third = socket()) {
        assertThat(third.getInputStream().read()).isEqualTo(-1);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    String answer = "";
    for (int i = 0; i < 100 && !answer.startsWith("HTTP/1.1 200"); i++) {
      answer = get("/hello", ""); // the closed connections are counted out as their close is seen
    }
    assertThat(answer).startsWith("HTTP/1.1 200");
  }

  @Test
  void clusterSecretIsCheckedBeforeAnyHandler() throws Exception {
    start(config().withAccess(ClusterAccess.NONE.withSecret(SECRET)));
    String missing = get("/hello", "");
    assertThat(missing).startsWith("HTTP/1.1 401").doesNotContain("hello\n").contains("UNAUTHORIZED");
    String wrong = get("/hello", ProtocolV1.HEADER_SECRET + ": " + SECRET + "x\r\n");
    assertThat(wrong).startsWith("HTTP/1.1 403").contains("FORBIDDEN");
    assertThat(get("/hello", ProtocolV1.HEADER_SECRET + ": " + SECRET.substring(1) + "\r\n")).startsWith("HTTP/1.1 403");
    String right = get("/hello", ProtocolV1.HEADER_SECRET + ": " + SECRET + "\r\n");
    assertThat(right).startsWith("HTTP/1.1 200").endsWith("hello");
    assertThat(get(ProtocolV1.PING, "")).startsWith("HTTP/1.1 200");
    String body = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(body).startsWith("HTTP/1.1 401");
    ErrorBody err = Json.read(body.substring(body.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8),
        ErrorBody.class);
    assertThat(err.message()).contains(ProtocolV1.HEADER_SECRET).doesNotContain(SECRET);
  }

  @Test
  void secretsAreValidatedAndNeverPrinted() {
    assertThat(ClusterAccess.NONE.withSecret(SECRET).toString()).doesNotContain(SECRET);
    assertThat(ClusterAccess.NONE.admits(null)).isTrue();
    assertThat(ClusterAccess.NONE.withSecret(SECRET).admits(null)).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterAccess.NONE.withSecret("short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 8");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterAccess.NONE.withSecret("with space inside"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster secret");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new TlsFiles(java.nio.file.Path.of("no-such-cert.pem"), java.nio.file.Path.of("no-key.pem"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls-cert");
  }

  private Socket socket() throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(20_000);
    return s;
  }

  private String get(String path, String extraHeaders) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extraHeaders + "\r\n");
  }

  /** Sends a request on a fresh connection and reads until the server closes it. */
  private String exchange(String request) throws IOException {
    try (Socket s = socket()) {
      try {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
      } catch (SocketException closed) {
        return "";
      }
      try {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (SocketException reset) {
        return "";
      }
    }
  }

  /** Sends a keep-alive request and reads its (short, sized) answer, leaving the connection open. */
  private static String request(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    int n = in.read(buf);
    return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }
}
