package io.damselfly.supernode.api;

import static io.damselfly.supernode.api.ApiClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.ScheduleResponse.Status;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.supernode.dashboard.Overview;
import io.damselfly.supernode.metrics.TaskLedger;
import io.damselfly.supernode.scheduler.TaskPieces;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Metrics, readiness, the dashboard's feed and task summaries of a supernode that served a real distribution. */
class OperationsApiTest {
  private static final long SIZE = 2L * 1024 * 1024 + 4321;
  private static final int PIECES = 9;

  @TempDir Path dir;
  private OriginServer origin;
  private final FakeClock clock = new FakeClock();
  private Supernode supernode;
  private ApiClient api;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    Logger ledgerLog = (Logger) LoggerFactory.getLogger(TaskLedger.class);
    ledgerLog.setLevel(ch.qos.logback.classic.Level.INFO);
    ledgerLog.addAppender(logs);
    logs.start();
    origin = OriginServer.start();
    Path file = dir.resolve("f.bin");
    TestFiles.write(file, SIZE, 7);
    origin.serve("/f.bin", file);
    supernode = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")), clock);
    api = new ApiClient(supernode.apiPort());
  }

  @AfterEach
  void stop() {
    Logger ledgerLog = (Logger) LoggerFactory.getLogger(TaskLedger.class);
    ledgerLog.detachAppender(logs);
    ledgerLog.setLevel(null);
    if (api != null) {
      api.close();
    }
    if (supernode != null) {
      supernode.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  /** Two peers download one after the other: the second fetches from the first. Returns the task id. */
  private String distribute(TestPeer a, TestPeer b) throws Exception {
    String taskId = a.register(origin.url("/f.bin")).taskId();
    assertThat(a.download().status()).isEqualTo(Status.DONE);
    b.register(origin.url("/f.bin"));
    assertThat(b.download().status()).isEqualTo(Status.DONE);
    clock.advance(java.time.Duration.ofSeconds(1));
    supernode.scheduler().tick().get(); // a snapshot for the gauges and a throughput sample
    return taskId;
  }

  @Test
  void metricsCountBytesBySourceSchedulerDecisionsAndPeers() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"));
        TestPeer b = new TestPeer("peer-b", api, dir.resolve("b.bin"))) {
      distribute(a, b);

      HttpResponse<byte[]> r = api.get(ProtocolV1.METRICS);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue(ProtocolV1.PROMETHEUS_TEXT);
      String text = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(value(text, "damselfly_origin_bytes_total")).isEqualTo(SIZE);
      double fromCdn = value(text, "damselfly_piece_bytes_total{source=\"cdn\"}");
      double fromPeers = value(text, "damselfly_piece_bytes_total{source=\"peer\"}");
      assertThat(fromPeers).as("b fetched from a").isPositive();
      assertThat(fromCdn + fromPeers).isEqualTo(2.0 * SIZE);
      assertThat(value(text, "damselfly_cdn_served_bytes_total")).isEqualTo(fromCdn);
      assertThat(value(text, "damselfly_cdn_stored_bytes")).isEqualTo(SIZE);
      assertThat(value(text, "damselfly_cdn_evictions_total")).as("nothing needed room").isZero();
      assertThat(value(text, "damselfly_assignments_total{source=\"cdn\"}")
          + value(text, "damselfly_assignments_total{source=\"peer\"}")).isEqualTo(2.0 * PIECES);
      assertThat(value(text, "damselfly_schedule_requests_total")).isGreaterThanOrEqualTo(2);
      assertThat(value(text, "damselfly_piece_latency_seconds_count{source=\"cdn\"}")
          + value(text, "damselfly_piece_latency_seconds_count{source=\"peer\"}")).isEqualTo(2.0 * PIECES);
      assertThat(text).contains("damselfly_piece_latency_seconds_bucket{source=\"peer\",le=\"0.005\"}");
      assertThat(value(text, "damselfly_peers{state=\"active\"}")).isEqualTo(2);
      assertThat(value(text, "damselfly_peers{state=\"isolated\"}")).isZero();
      assertThat(value(text, "damselfly_tasks{state=\"active\"}")).isEqualTo(1);
      assertThat(value(text, "damselfly_peer_joins_total")).isEqualTo(2);
      assertThat(text).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void readyWhileServingAndNotOnceStopping() throws Exception {
    HttpResponse<byte[]> ready = api.get(ProtocolV1.READY);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new String(ready.body(), StandardCharsets.UTF_8)).isEqualTo("READY");
    assertThat(api.get(ProtocolV1.PING).statusCode()).isEqualTo(200);

    supernode.readiness().stopping();

    HttpResponse<byte[]> stopping = api.get(ProtocolV1.READY);
    assertThat(stopping.statusCode()).isEqualTo(503);
    assertThat(new String(stopping.body(), StandardCharsets.UTF_8)).isEqualTo("STOPPING");
  }

  @Test
  void theFeedShowsBytesBySourcePieceMapsAndPeersThatLeft() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"));
        TestPeer b = new TestPeer("peer-b", api, dir.resolve("b.bin"))) {
      String taskId = distribute(a, b);

      Overview feed = ok(api.get(ProtocolV1.DASHBOARD_FEED), Overview.class);
      assertThat(feed.originBytes()).isEqualTo(SIZE);
      assertThat(feed.scheduler().peersActive()).isEqualTo(2);
      assertThat(feed.tasks()).singleElement().satisfies(t -> {
        assertThat(t.taskId()).isEqualTo(taskId);
        assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(t.bytesFromCdn() + t.bytesFromPeers()).isEqualTo(2 * SIZE);
        assertThat(t.bytesFromPeers()).isPositive();
        assertThat(t.originBytes()).isEqualTo(SIZE);
        assertThat(t.peersNow()).isEqualTo(2);
        assertThat(t.peersEver()).isEqualTo(2);
        assertThat(t.samples()).isNotEmpty();
      });

      assertThat(api.send("DELETE", ProtocolV1.path(ProtocolV1.PEER, taskId, "peer-a"), null).statusCode())
          .isEqualTo(204);
      TaskPieces pieces = ok(api.get(ProtocolV1.path(ProtocolV1.DASHBOARD_PIECES, taskId)), TaskPieces.class);

      assertThat(pieces.pieceCount()).isEqualTo(PIECES);
      assertThat(pieces.piecesStored()).isEqualTo(PIECES);
      assertThat(pieces.peers()).extracting(TaskPieces.PeerPieces::peerId, TaskPieces.PeerPieces::state)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("peer-b", "ACTIVE"),
              org.assertj.core.groups.Tuple.tuple("peer-a", "GONE"));
      for (TaskPieces.PeerPieces p : pieces.peers()) {
        BitSet have = BitSet.valueOf(Base64.getDecoder().decode(p.have()));
        assertThat(have.cardinality()).as("pieces of %s", p.peerId()).isEqualTo(PIECES).isEqualTo(p.piecesHave());
        assertThat(have.nextClearBit(0)).isEqualTo(PIECES);
      }
      assertThat(pieces.peers().get(0).bytesUploaded()).isZero();
    }
  }

  @Test
  void oneSummaryLineWhenTheFetchEndsAndWhenTheLastPeerLeaves() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"));
        TestPeer b = new TestPeer("peer-b", api, dir.resolve("b.bin"))) {
      String taskId = distribute(a, b);
      awaitTrue(() -> !summaries("cdn-fetch-success").isEmpty(), this::allLogs);

      api.send("DELETE", ProtocolV1.path(ProtocolV1.PEER, taskId, "peer-a"), null);
      api.send("DELETE", ProtocolV1.path(ProtocolV1.PEER, taskId, "peer-b"), null);

      assertThat(summaries("cdn-fetch-success")).singleElement().asString()
          .contains("task=" + taskId, "status=SUCCESS", "originBytes=" + SIZE);
      assertThat(summaries("last-peer-")).singleElement().asString()
          .contains("event=last-peer-left", "task=" + taskId, "originBytes=" + SIZE, "peers=2", "peerBytes=")
          .doesNotContain("peerBytes=0 ");
    }
  }

  @Test
  void dashboardFilesAreServedAndUnknownOnesAreNot() throws Exception {
    HttpResponse<byte[]> page = api.get(ProtocolV1.DASHBOARD);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("/dashboard/app.js", "piecemap");
    assertThat(api.get("/dashboard/app.js").headers().firstValue("content-type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(api.get("/dashboard/style.css").statusCode()).isEqualTo(200);
    assertThat(api.get("/dashboard/secret.txt").statusCode()).isEqualTo(404);
    assertThat(api.get("/dashboard/..%2Fpom.xml").statusCode()).isEqualTo(404);
    assertThat(api.get(ProtocolV1.path(ProtocolV1.DASHBOARD_PIECES, "0123456789abcdef0123456789abcdef-0123456789ab"))
        .statusCode()).isEqualTo(404);
    assertThat(api.get(ProtocolV1.path(ProtocolV1.DASHBOARD_PIECES, "not-a-task")).body()).asString()
        .contains("TASK_NOT_FOUND", "no task not-a-task");
  }

  private List<String> summaries(String event) {
    synchronized (logs.list) {
      return logs.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.startsWith("task summary: event=" + event)).toList();
    }
  }

  private List<String> allLogs() {
    synchronized (logs.list) {
      return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<Object> state)
      throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as("condition reached; state: %s", state.get()).isTrue();
  }

  /** The value of one series in Prometheus text, such as {@code name{label="v"}}. */
  static double value(String text, String series) {
    return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + text));
  }
}
