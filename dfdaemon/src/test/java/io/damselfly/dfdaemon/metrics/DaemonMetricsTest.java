package io.damselfly.dfdaemon.metrics;

import io.damselfly.protocol.ProtocolV1;
import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.Dfdaemon;
import io.damselfly.dfdaemon.ProxyRule;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.Readiness;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dfdaemon's /metrics, /_ping and /_ready, after real P2P downloads through two daemons. */
class DaemonMetricsTest {
  private static final int SIZE = 3_000_000;

  @TempDir Path dir;

  @Test
  void metricsCountPiecesBySourceUploadsDownloadsAndTheCache() throws Exception {
    Path big = Files.write(dir.resolve("big.bin"), TestFiles.bytes(SIZE, 5));
    Path page = Files.writeString(dir.resolve("metrics.txt"), "the origin's own /metrics page\n");
    try (OriginServer origin = OriginServer.start();
        Supernode supernode = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")),
            InstantSource.system());
        Dfdaemon a = daemon("a", supernode);
        Dfdaemon b = daemon("b", supernode)) {
      origin.serve("/big.bin", big).serve("/metrics", page);
      try (HttpClient viaA = proxied(a); HttpClient viaB = proxied(b); HttpClient http = HttpClient.newHttpClient()) {
        assertThat(get(viaA, origin.url("/big.bin")).body()).isEqualTo(Files.readAllBytes(big));
        assertThat(get(viaB, origin.url("/big.bin")).body()).isEqualTo(Files.readAllBytes(big));

        String ma = new String(get(http, "http://127.0.0.1:" + a.port() + ProtocolV1.METRICS).body());
        HttpResponse<byte[]> rb = get(http, "http://127.0.0.1:" + b.port() + ProtocolV1.METRICS);
        // the client has every byte a moment before the download's end is counted
        for (int i = 0; i < 200 && value(new String(rb.body()), "dfdaemon_downloads_total{result=\"done\"}") < 1; i++) {
          Thread.sleep(25);
          rb = get(http, "http://127.0.0.1:" + b.port() + ProtocolV1.METRICS);
        }
        String mb = new String(rb.body());

        assertThat(rb.headers().firstValue("content-type")).hasValue(ProtocolV1.PROMETHEUS_TEXT);
        double bFromPeers = value(mb, "dfdaemon_piece_bytes_total{source=\"peer\"}");
        assertThat(bFromPeers).as("b fetched from a").isPositive();
        assertThat(bFromPeers + value(mb, "dfdaemon_piece_bytes_total{source=\"cdn\"}")).isEqualTo(SIZE);
        assertThat(value(ma, "dfdaemon_piece_bytes_total{source=\"cdn\"}")).isEqualTo(SIZE);
        assertThat(value(ma, "dfdaemon_uploaded_bytes_total")).isEqualTo(bFromPeers);
        assertThat(value(mb, "dfdaemon_piece_latency_seconds_count{source=\"peer\"}")
            + value(mb, "dfdaemon_piece_latency_seconds_count{source=\"cdn\"}")).isEqualTo(12);
        assertThat(mb).contains("dfdaemon_piece_latency_seconds_bucket{source=\"peer\",le=\"0.005\"}");
        assertThat(value(mb, "dfdaemon_downloads_total{result=\"done\"}")).isEqualTo(1);
        assertThat(value(mb, "dfdaemon_downloads_active")).isZero();
        assertThat(value(mb, "dfdaemon_cache_bytes")).isEqualTo(SIZE);
        assertThat(value(mb, "dfdaemon_cache_evictions_total")).isZero();
        assertThat(value(mb, "dfdaemon_origin_bytes_total")).isZero();

        HttpResponse<byte[]> ready = get(http, "http://127.0.0.1:" + b.port() + ProtocolV1.READY);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new String(ready.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("READY");
        assertThat(get(http, "http://127.0.0.1:" + b.port() + ProtocolV1.PING).statusCode()).isEqualTo(200);
        assertThat(get(viaB, origin.url("/metrics")).body()).as("a proxied /metrics is the origin's")
            .isEqualTo(Files.readAllBytes(page));
      }
    }
  }

  @Test
  void readyOnlyBetweenStartAndShutdown() throws Exception {
    try (DaemonMetrics metrics = new DaemonMetrics(); HttpClient http = HttpClient.newHttpClient()) {
      Readiness readiness = new Readiness();
      OpsRoutes ops = new OpsRoutes(metrics, readiness);
      Router router = ops.mount(new Router(), r -> r.uri().startsWith("http://"),
          r -> Response.text(HttpResponseStatus.OK, "elsewhere"));
      try (HttpServer server = HttpServer.start(ServerConfig.defaults("ops", 0).withBindHost("127.0.0.1"), router)) {
        String ready = "http://127.0.0.1:" + server.port() + ProtocolV1.READY;
        assertThat(get(http, ready).statusCode()).isEqualTo(503);
        assertThat(new String(get(http, ready).body())).isEqualTo("STARTING");
        readiness.ready();
        assertThat(get(http, ready).statusCode()).isEqualTo(200);
        assertThat(new String(get(http, ready).body())).isEqualTo("READY");
        readiness.stopping();
        readiness.ready();
        assertThat(get(http, ready).statusCode()).isEqualTo(503);
        assertThat(new String(get(http, ready).body())).isEqualTo("STOPPING");
      }
    }
  }

  private Dfdaemon daemon(String name, Supernode supernode) {
    return Dfdaemon.start(DaemonConfig.defaults(dir.resolve(name)).withPort(0).withBindHost("127.0.0.1")
        .withSupernodes(List.of("127.0.0.1:" + supernode.apiPort())).withUpload(0, 0, 0, "127.0.0.1")
        .withProxies(List.of(ProxyRule.of("\\.bin$", false)), List.of()), InstantSource.system());
  }

  private static HttpClient proxied(Dfdaemon d) {
    return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", d.port()))).build();
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The value of one series in Prometheus text, such as {@code name{label="v"}}. */
  static double value(String text, String series) {
    return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + text));
  }
}
