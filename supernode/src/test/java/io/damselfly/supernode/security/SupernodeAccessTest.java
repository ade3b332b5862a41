package io.damselfly.supernode.security;

import io.damselfly.protocol.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestCerts;
import io.damselfly.testing.TestFiles;
import io.damselfly.testing.fuzz.RawHttp;
import io.damselfly.transport.ClusterAccess;
import io.damselfly.transport.Tls;
import io.damselfly.transport.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster secret, admin token and TLS on a real supernode. */
class SupernodeAccessTest {
  private static final String SECRET = "cluster-secret-42";
  private static final String TOKEN = "admin-token-0123456789";
  private static final int SIZE = 1024 * 1024 + 5;

  @TempDir Path dir;
  private OriginServer origin;
  private Path file;
  private Supernode node;

  @BeforeEach
  void origin() throws IOException {
    origin = OriginServer.start();
    file = dir.resolve("file.bin");
    TestFiles.write(file, SIZE, 11);
    origin.serve("/file.bin", file);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    origin.close();
  }

  private void start(SupernodeConfig config) {
    node = Supernode.start(config, InstantSource.system());
  }

  private SupernodeConfig config() {
    return SupernodeConfig.forTests(dir.resolve("data"));
  }

  private String registration() {
    return "{\"url\":" + io.damselfly.testing.fuzz.HostileInput.quote(origin.url("/file.bin"))
        + ",\"peer\":{\"peerId\":\"p1\",\"host\":\"127.0.0.1\",\"port\":0}}";
  }

  @Test
  void aClusterSecretGuardsBothPortsAndNoBytesLeakWithoutIt() throws Exception {
    start(config().withAccess(ClusterAccess.NONE.withSecret(SECRET), null));
    String header = ProtocolV1.HEADER_SECRET + ": " + SECRET;
    RawHttp.Answer missing = RawHttp.exchange(node.apiPort(), RawHttp.request("POST", ProtocolV1.REGISTER, registration()));
    assertThat(missing.status()).isEqualTo(401);
    assertThat(Json.read(missing.body(), ErrorBody.class).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(origin.requests("/file.bin")).as("nothing reached the origin").isZero();
    RawHttp.Answer wrong = RawHttp.exchange(node.apiPort(),
        RawHttp.request("POST", ProtocolV1.REGISTER, registration(), ProtocolV1.HEADER_SECRET + ": not-the-secret"));
    assertThat(wrong.status()).isEqualTo(403);
    String taskId = register(header);
    waitStored(taskId, header);

    String piece = ProtocolV1.path(ProtocolV1.FILE, taskId);
    RawHttp.Answer noSecret = RawHttp.exchange(node.piecePort(), RawHttp.request("GET", piece, null, "Range: bytes=0-1023"));
    assertThat(noSecret.status()).isEqualTo(401);
    assertThat(noSecret.bodyContains(Arrays.copyOf(Files.readAllBytes(file), 16))).isFalse();
    assertThat(RawHttp.exchange(node.piecePort(), RawHttp.request("GET", piece, null, "Range: bytes=0-1023",
        ProtocolV1.HEADER_SECRET + ": " + SECRET + "-")).status()).isEqualTo(403);
    RawHttp.Answer ok = RawHttp.exchange(node.piecePort(), RawHttp.request("GET", piece, null, "Range: bytes=0-1023", header));
    assertThat(ok.status()).isEqualTo(206);
    assertThat(ok.body()).isEqualTo(Arrays.copyOf(Files.readAllBytes(file), 1024));
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("GET", ProtocolV1.PING, null)).status()).isEqualTo(200);
  }

  @Test
  void probesReadReadinessWithoutTheSecretAndMetricsWithTheReadOnlyToken() throws Exception {
    String metricsToken = "metrics-token-0123456789";
    start(config().withAccess(ClusterAccess.NONE.withSecret(SECRET).withMetricsToken(metricsToken), null));
    int api = node.apiPort();

    RawHttp.Answer ready = RawHttp.exchange(api, RawHttp.request("GET", ProtocolV1.READY, null));
    assertThat(ready.status()).as("readiness probes carry no secret").isEqualTo(200);
    assertThat(RawHttp.exchange(api, RawHttp.request("GET", ProtocolV1.METRICS, null)).status()).isEqualTo(401);
    RawHttp.Answer scraped = RawHttp.exchange(api, RawHttp.request("GET", ProtocolV1.METRICS, null,
        "Authorization: Bearer " + metricsToken));
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(new String(scraped.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("damselfly_cdn_repairs_total");
    assertThat(RawHttp.exchange(api, RawHttp.request("GET", ProtocolV1.METRICS, null,
        "Authorization: Bearer " + metricsToken + "x")).status()).as("a wrong token").isEqualTo(401);
    assertThat(RawHttp.exchange(api, RawHttp.request("GET", ProtocolV1.METRICS, null,
        ProtocolV1.HEADER_SECRET + ": " + SECRET)).status()).as("the secret reads metrics too").isEqualTo(200);
    assertThat(RawHttp.exchange(api, RawHttp.request("GET", ProtocolV1.TASKS, null,
        "Authorization: Bearer " + metricsToken)).status()).as("the token reads nothing else").isEqualTo(401);
    assertThat(RawHttp.exchange(api, RawHttp.request("POST", ProtocolV1.REGISTER, registration(),
        "Authorization: Bearer " + metricsToken)).status()).isEqualTo(401);
    assertThat(RawHttp.exchange(node.piecePort(), RawHttp.request("GET", ProtocolV1.METRICS, null,
        "Authorization: Bearer " + metricsToken)).status()).as("no metrics on the piece port").isIn(401, 404);
    assertThat(origin.requests("/file.bin")).isZero();
    assertThatThrownBy(() -> ClusterAccess.NONE.withMetricsToken("short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
    assertThat(ClusterAccess.NONE.withMetricsToken(metricsToken).toString()).doesNotContain(metricsToken);
  }

  @Test
  void withoutATokenOnlyLoopbackCallersMayDeleteATask() throws Exception {
    start(config());
    String taskId = register();
    waitStored(taskId);
    Path stored = dir.resolve("data/cdn").resolve(taskId);
    assertThat(stored).exists();
    RawHttp.Answer deleted = RawHttp.exchange(node.apiPort(),
        RawHttp.request("DELETE", ProtocolV1.path(ProtocolV1.TASK, taskId), null));
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(stored).doesNotExist();
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("GET", ProtocolV1.path(ProtocolV1.TASK, taskId), null))
        .status()).isEqualTo(404);
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("DELETE", ProtocolV1.path(ProtocolV1.TASK, taskId), null))
        .status()).isEqualTo(404);
    // the task comes back on the next registration, fetched again
    String again = register();
    waitStored(again);
    assertThat(again).isEqualTo(taskId);
    assertThat(origin.requests("/file.bin")).isEqualTo(2);
  }

  @Test
  void withATokenDeletionNeedsTheBearerToken() throws Exception {
    start(config().withAccess(ClusterAccess.NONE, TOKEN));
    String taskId = register();
    waitStored(taskId);
    String path = ProtocolV1.path(ProtocolV1.TASK, taskId);
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("DELETE", path, null)).status()).isEqualTo(401);
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("DELETE", path, null, "Authorization: Bearer wrong-token"))
        .status()).isEqualTo(403);
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("DELETE", path, null, "Authorization: Basic " + TOKEN))
        .status()).isEqualTo(401);
    assertThat(dir.resolve("data/cdn").resolve(taskId)).exists();
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("DELETE", path, null, "Authorization: Bearer " + TOKEN))
        .status()).isEqualTo(204);
    assertThat(dir.resolve("data/cdn").resolve(taskId)).doesNotExist();
  }

  @Test
  void adminTokensAndSecretsAreValidatedAndNeverPrinted() {
    assertThatThrownBy(() -> config().withAccess(ClusterAccess.NONE, "short"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
    assertThat(config().withAccess(ClusterAccess.NONE.withSecret(SECRET), TOKEN).toString())
        .doesNotContain(SECRET).doesNotContain(TOKEN);
    assertThatThrownBy(() -> ClusterAccess.of(null, null, null, dir.resolve("ca.pem")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls-ca needs --tls-cert");
  }

  @Test
  void tlsOnTheApiAndPiecePorts() throws Exception {
    TestCerts certs = TestCerts.create(dir.resolve("certs"), "cluster");
    TestCerts.Identity server = certs.issue("supernode");
    TestCerts.Identity peer = certs.issue("peer");
    start(config().withAccess(ClusterAccess.NONE.withTls(new TlsFiles(server.cert(), server.key(), null)), null));
    SSLContext trustOnly = Tls.client(new TlsFiles(peer.cert(), peer.key(), certs.ca()));
    try (HttpClient https = HttpClient.newBuilder().sslContext(trustOnly).connectTimeout(Duration.ofSeconds(5)).build()) {
      String base = "https://127.0.0.1:" + node.apiPort();
      HttpResponse<byte[]> reg = https.send(HttpRequest.newBuilder(URI.create(base + ProtocolV1.REGISTER))
          .POST(HttpRequest.BodyPublishers.ofString(registration())).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(reg.statusCode()).isEqualTo(200);
      String taskId = Json.read(reg.body(), io.damselfly.protocol.RegisterResponse.class).taskId();
      waitStoredOver(https, base, taskId);
      HttpResponse<byte[]> whole = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.piecePort()
          + ProtocolV1.path(ProtocolV1.FILE, taskId))).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(Files.readAllBytes(file));
    }
    RawHttp.Answer plain = RawHttp.exchange(node.apiPort(), RawHttp.request("GET", ProtocolV1.PING, null));
    assertThat(plain.status()).as("plain HTTP on a TLS port gets no answer").isEqualTo(-1);
  }

  @Test
  void mutualTlsRefusesClientsWithoutACertificate() throws Exception {
    TestCerts certs = TestCerts.create(dir.resolve("certs"), "cluster");
    TestCerts.Identity server = certs.issue("supernode");
    TestCerts.Identity peer = certs.issue("peer");
    TestCerts stranger = TestCerts.create(dir.resolve("other"), "other");
    TestCerts.Identity outsider = stranger.issue("outsider");
    start(config().withAccess(ClusterAccess.NONE.withTls(new TlsFiles(server.cert(), server.key(), certs.ca())), null));
    URI ping = URI.create("https://127.0.0.1:" + node.apiPort() + ProtocolV1.PING);

    SSLContext member = Tls.client(new TlsFiles(peer.cert(), peer.key(), certs.ca()));
    try (HttpClient ok = HttpClient.newBuilder().sslContext(member).build()) {
      assertThat(ok.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("OK");
    }
    SSLContext noCert = SSLContext.getInstance("TLS");
    noCert.init(null, trustManagers(certs.ca()), null);
    try (HttpClient anonymous = HttpClient.newBuilder().sslContext(noCert).build()) {
      assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
    SSLContext foreign = Tls.client(new TlsFiles(outsider.cert(), outsider.key(), certs.ca()));
    try (HttpClient other = HttpClient.newBuilder().sslContext(foreign).build()) {
      assertThatThrownBy(() -> other.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(Path ca) throws Exception {
    var cf = java.security.cert.CertificateFactory.getInstance("X.509");
    var ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (var in = Files.newInputStream(ca)) {
      ks.setCertificateEntry("ca", cf.generateCertificate(in));
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf.getTrustManagers();
  }

  private String register(String... headers) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(node.apiPort(), RawHttp.request("POST", ProtocolV1.REGISTER, registration(), headers));
    assertThat(a.status()).as(a.toString()).isEqualTo(200);
    return Json.read(a.body(), io.damselfly.protocol.RegisterResponse.class).taskId();
  }

  private void waitStored(String taskId, String... headers) throws Exception {
    for (int i = 0; i < 1200; i++) {
      RawHttp.Answer v = RawHttp.exchange(node.apiPort(),
          RawHttp.request("GET", ProtocolV1.path(ProtocolV1.TASK, taskId), null, headers));
      if (v.status() == 200 && v.bodyText().contains("\"SUCCESS\"")) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("task " + taskId + " was not stored");
  }

  private static void waitStoredOver(HttpClient https, String base, String taskId) throws Exception {
    for (int i = 0; i < 1200; i++) {
      HttpResponse<String> v = https.send(HttpRequest.newBuilder(URI.create(base + ProtocolV1.path(ProtocolV1.TASK, taskId)))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (v.statusCode() == 200 && v.body().contains("\"SUCCESS\"")) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("task " + taskId + " was not stored");
  }
}
