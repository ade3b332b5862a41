package io.damselfly.peer.download.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.HostPort;
import io.damselfly.common.PeerId;
import io.damselfly.common.TaskId;
import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.damselfly.transport.ApiClient;
import io.damselfly.transport.ClusterAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failover across supernodes, and how supernode errors become dfget exit codes. */
class SupernodeClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  @TempDir static Path dir;
  private static Cluster cluster;
  private static OriginFile file;
  private static ApiClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    file = cluster.serve("/client.bin", 300_000, 3);
    http = new ApiClient(ClusterAccess.NONE, 1, Duration.ofSeconds(5), Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HostPort live() {
    return HostPort.parse(cluster.supernode(), 0);
  }

  private static HostPort closed() {
    return new HostPort("127.0.0.1", Cluster.closedPort());
  }

  private static Function<HostPort, RegisterRequest> registration(String url) {
    PeerAddress me = new PeerAddress(PeerId.random("client-test").value(), "127.0.0.1", 0);
    return sn -> new RegisterRequest(url, null, null, null, null, me);
  }

  @Test
  void theWaitForADeadOwnerEndsByTheInjectedClock() throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer redirecting = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    redirecting.createContext("/", exchange -> {
      asked.incrementAndGet();
      byte[] body = Json.write(new ErrorBody(ErrorCode.NOT_OWNER, "not mine", 0, closed().authority()));
      exchange.sendResponseHeaders(ErrorCode.NOT_OWNER.httpStatus(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    redirecting.start();
    try {
      // every reading of this clock is 31 s after the last: the 30 s wait for the named owner is over at once
      java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong();
      java.time.InstantSource clock = () -> java.time.Instant.ofEpochMilli(millis.getAndAdd(31_000));
      SupernodeClient client = new SupernodeClient(http,
          List.of(new HostPort("127.0.0.1", redirecting.getAddress().getPort())), TIMEOUT, clock);

      assertThatThrownBy(() -> client.register(registration(file.url())))
          .isInstanceOf(SupernodeClient.Unreachable.class);
      assertThat(asked).as("one round: the deadline had passed by the clock").hasValue(1);
    } finally {
      redirecting.stop(0);
    }
  }

  @Test
  void aClosedFirstSupernodeIsSkippedForTheNextOne() throws Exception {
    SupernodeClient client = new SupernodeClient(http, List.of(closed(), live()), TIMEOUT);

    RegisterResponse r = client.register(registration(file.url()));

    assertThat(r.contentLength()).isEqualTo(file.size());
    assertThat(client.node()).isEqualTo(live());
  }

  @Test
  void aSupernodeAnswering503IsSkippedToo() throws Exception {
    Router busy = new Router().fallback(req -> {
      throw new ApiException(ErrorCode.UNAVAILABLE, "overloaded");
    });
    try (HttpServer unavailable = HttpServer.start(ServerConfig.defaults("busy", 0).withBindHost("127.0.0.1"), busy)) {
      HostPort first = new HostPort("127.0.0.1", unavailable.port());
      SupernodeClient client = new SupernodeClient(http, List.of(first, live()), TIMEOUT);

      client.register(registration(file.url()));

      assertThat(client.node()).isEqualTo(live());
    }
  }

  @Test
  void whenNoSupernodeAnswersTheClientSaysWhichItTried() {
    HostPort a = closed();
    HostPort b = closed();
    SupernodeClient client = new SupernodeClient(http, List.of(a, b), TIMEOUT);

    assertThatThrownBy(() -> client.register(registration(file.url())))
        .isInstanceOf(SupernodeClient.Unreachable.class)
        .hasMessageContaining(a.toString())
        .hasMessageContaining(b.toString());
  }

  @Test
  void anEmptyNodeListIsUnreachable() {
    SupernodeClient client = new SupernodeClient(http, List.of(), TIMEOUT);
    assertThatThrownBy(() -> client.register(registration(file.url())))
        .isInstanceOf(SupernodeClient.Unreachable.class)
        .hasMessageContaining("no supernode is configured");
  }

  @Test
  void anOriginErrorOnRegistrationIsExitFiveWithTheOriginStatus() {
    SupernodeClient client = new SupernodeClient(http, List.of(live()), TIMEOUT);

    assertThatThrownBy(() -> client.register(registration(cluster.origin().url("/missing.bin"))))
        .isInstanceOfSatisfying(DownloadFailure.class, f -> assertThat(f.exit()).isEqualTo(DfgetExit.ORIGIN_ERROR))
        .hasMessageContaining("404");
  }

  @Test
  void askingForATaskTheSupernodeDoesNotKnowFails() throws Exception {
    SupernodeClient client = new SupernodeClient(http, List.of(live()), TIMEOUT);
    client.register(registration(file.url()));

    assertThatThrownBy(() -> client.schedule(TaskId.of("no-such-task"),
            new ScheduleRequest("someone", List.of(), List.of(), 1)))
        .isInstanceOfSatisfying(DownloadFailure.class, f -> assertThat(f.exit()).isEqualTo(DfgetExit.FAILED))
        .hasMessageContaining("TASK_NOT_FOUND");
  }

  @Test
  void errorCodesMapToExitCodes() {
    assertThat(exitFor(new ErrorBody(ErrorCode.ORIGIN_ERROR, "origin answered 404", 404))).isEqualTo(DfgetExit.ORIGIN_ERROR);
    assertThat(DfgetExit.ORIGIN_ERROR.code()).isEqualTo(5);
    assertThat(exitFor(ErrorBody.of(ErrorCode.DIGEST_MISMATCH, "md5 differs"))).isEqualTo(DfgetExit.DIGEST_MISMATCH);
    assertThat(DfgetExit.DIGEST_MISMATCH.code()).isEqualTo(3);
    assertThat(exitFor(ErrorBody.of(ErrorCode.BAD_REQUEST, "bad url"))).isEqualTo(DfgetExit.USAGE);
    assertThat(exitFor(ErrorBody.of(ErrorCode.INSUFFICIENT_STORAGE, "disk full"))).isEqualTo(DfgetExit.FAILED);
    assertThat(exitFor(new ErrorBody(null, "no code", 0))).isEqualTo(DfgetExit.FAILED);
  }

  @Test
  void theMessageCarriesTheSupernodesReason() {
    DownloadFailure f = SupernodeClient.failure(new ErrorBody(ErrorCode.ORIGIN_ERROR, "origin answered 410 for /x", 410));
    assertThat(f.getMessage()).contains("origin answered 410 for /x");
  }

  @Test
  void anErrorAnswerThatIsNotJsonStillFailsClearly() {
    byte[] html = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
    DownloadFailure f = SupernodeClient.failure(new HostPort("sn.example", 8002), 502, html);
    assertThat(f.exit()).isEqualTo(DfgetExit.FAILED);
    assertThat(f.getMessage()).contains("sn.example:8002").contains("502");
  }

  @Test
  void theFailureCarriesTheSupernodesAnswerTyped() {
    byte[] body = Json.write(new ErrorBody(ErrorCode.ORIGIN_ERROR, "origin answered 410 for /x", 410));
    DownloadFailure f = SupernodeClient.failure(new HostPort("sn.example", 8002), 502, body);
    assertThat(f.answer().code()).isEqualTo(ErrorCode.ORIGIN_ERROR);
    assertThat(f.answer().originStatus()).isEqualTo(410);
    assertThat(f.answer().body()).isEqualTo(Json.read(body, ErrorBody.class));
    assertThat(f.answered(ErrorCode.ORIGIN_ERROR)).isTrue();
    assertThat(SupernodeClient.failure(ErrorBody.of(ErrorCode.PEER_NOT_FOUND, "who?")).answered(ErrorCode.PEER_NOT_FOUND))
        .isTrue();
    assertThat(new DownloadFailure(DfgetExit.FAILED, "mine").answer()).isNull();
  }

  private static DfgetExit exitFor(ErrorBody body) {
    return SupernodeClient.failure(body).exit();
  }
}
