package io.damselfly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.ProtocolV1;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster's JSON client against a real server of ours, and against raw sockets that misbehave on purpose. */
class ApiClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final CountDownLatch holding = new CountDownLatch(1);
  private HttpServer server;
  private ApiClient client;
  private RawServer raw;

  @BeforeEach
  void start() throws IOException {
    Router router = new Router()
        .post("/echo/{name}", r -> {
          seen.add(r.headers().get(ProtocolV1.HEADER_PEER_ID) + " " + r.headers().get(ProtocolV1.HEADER_SECRET)
              + " " + r.headers().get("Content-Type"));
          return Response.bytes(HttpResponseStatus.OK, "application/json", ("{\"name\":\"" + r.param("name")
              + "\",\"got\":" + new String(r.body(), StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8));
        })
        .get("/big", r -> Response.bytes(HttpResponseStatus.OK, "application/octet-stream", new byte[2 * 1024 * 1024]))
        .delete("/gone", r -> { throw new io.damselfly.protocol.ApiException(io.damselfly.protocol.ErrorCode.NOT_FOUND,
            "no such thing"); });
    server = HttpServer.start(ServerConfig.defaults("api", 0).withBindHost("127.0.0.1")
        .withIdleTimeout(Duration.ofMillis(300)), router);
    client = new ApiClient(ClusterAccess.NONE, 1, Duration.ofSeconds(2), Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
    if (raw != null) {
      raw.close();
    }
  }

  private ApiClient.Answer call(String method, int port, String path, byte[] body) throws Exception {
    return client.call(method, "127.0.0.1", port, path, Map.of(ProtocolV1.HEADER_PEER_ID, "me"), body, TIMEOUT);
  }

  @Test
  void postsJsonAndGetsTheWholeAnswerOnKeptConnections() throws Exception {
    for (int i = 0; i < 20; i++) {
      ApiClient.Answer a = call("POST", server.port(), "/echo/n" + i, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      assertThat(a.status()).isEqualTo(200);
      assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"n" + i + "\",\"got\":{\"i\":" + i + "}}");
    }
    assertThat(seen).hasSize(20).allSatisfy(s -> assertThat(s).isEqualTo("me null application/json"));
    assertThat(call("GET", server.port(), "/big", null).body()).hasSize(2 * 1024 * 1024);
  }

  @Test
  void errorAnswersAreAnswersWithTheirBody() throws Exception {
    ApiClient.Answer a = call("DELETE", server.port(), "/gone", null);
    assertThat(a.status()).isEqualTo(404);
    assertThat(new String(a.body(), StandardCharsets.UTF_8)).contains("no such thing");
  }

  @Test
  void theServerClosingAKeptConnectionIsNotAFailure() throws Exception {
    call("POST", server.port(), "/echo/a", "1".getBytes(StandardCharsets.UTF_8));
    Thread.sleep(1000); // past the server's idle timeout: the kept connection is closed on the other side
    assertThat(call("POST", server.port(), "/echo/b", "2".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
  }

  @Test
  void cancellingALongPollClosesTheConnectionSoTheServerStopsHoldingIt() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    ServerSocket s = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try (s; Socket c = s.accept()) {
        InputStream in = c.getInputStream();
        RawServer.head(in);
        holding.countDown();
        if (in.read() < 0) {
          closed.countDown(); // the client closed its end while the request was held
        }
      } catch (IOException e) {
        closed.countDown();
      }
    });
    CompletableFuture<ApiClient.Answer> f = client.send("GET", "127.0.0.1", s.getLocalPort(), "/hold", Map.of(), null,
        TIMEOUT);
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
    f.cancel(true);
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(call("POST", server.port(), "/echo/after", "3".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
  }

  @Test
  void aSilentServerIsATimeout() throws Exception {
    int port = rawServer(head -> null);
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.call("GET", "127.0.0.1", port, "/x", Map.of(), null, Duration.ofMillis(300)))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
  }

  @Test
  void garbageAndClosedPortsAreFailuresNamingTheNode() throws Exception {
    int port = rawServer(head -> "SSH-2.0-OpenSSH\r\n\r\n");
    assertThatThrownBy(() -> call("GET", port, "/x", null)).isInstanceOf(IOException.class);
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertThatThrownBy(() -> call("GET", closed, "/x", null))
        .isInstanceOfSatisfying(RangeException.class, e -> {
          assertThat(e.kind()).isEqualTo(RangeException.Kind.CONNECT);
          assertThat(e).hasMessageContaining("127.0.0.1:" + closed);
        });
    assertThatThrownBy(() -> client.call("GET", "no-such-host.invalid", server.port(), "/x", Map.of(), null, TIMEOUT))
        .isInstanceOfSatisfying(IOException.class, e -> assertThat(e).hasMessageContaining("no-such-host.invalid"));
  }

  @Test
  void sendsTheClusterSecretAndAHostHeader() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    int port = rawServer(head -> {
      requests.add(head);
      return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    });
    try (ApiClient secret = new ApiClient(new ClusterAccess("s3cret-value", null), 1, Duration.ofSeconds(2),
        Duration.ofMinutes(1))) {
      ApiClient.Answer a = secret.call("POST", "127.0.0.1", port, "/p", Map.of(), new byte[0], TIMEOUT);
      assertThat(new String(a.body(), StandardCharsets.US_ASCII)).isEqualTo("{}");
    }
    assertThat(requests).singleElement().satisfies(r -> assertThat(r.toLowerCase())
        .startsWith("post /p http/1.1")
        .contains("host: 127.0.0.1:" + port)
        .contains("content-length: 0")
        .contains(ProtocolV1.HEADER_SECRET.toLowerCase() + ": s3cret-value"));
  }

  /** A raw server answering each request head with {@code answer} (null: stay silent); replaces the last one. */
  private int rawServer(java.util.function.Function<String, String> answer) throws IOException {
    if (raw != null) {
      raw.close();
    }
    raw = RawServer.start(answer);
    return raw.port();
  }
}
