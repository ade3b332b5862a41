package io.damselfly.supernode.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import io.damselfly.testing.fuzz.FileTree;
import io.damselfly.testing.fuzz.HostileInput;
import io.damselfly.testing.fuzz.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile requests on both supernode ports: every one is refused with a 4xx (or a closed connection),
 * the supernode keeps answering, and nothing outside its data directory is read or written.
 */
class SupernodeFuzzTest {
  private static Path home;
  private static Path dataDir;
  private static String canary;
  private static Set<String> outside;
  private static OriginServer origin;
  private static Supernode node;
  private static String taskId;

  @BeforeContainer
  static void start() throws Exception {
    home = Files.createTempDirectory("supernode-fuzz");
    dataDir = home.resolve("data");
    canary = FileTree.canary(home.resolve("canary.txt"));
    origin = OriginServer.start();
    Path file = home.resolve("origin/file.bin");
    Files.createDirectories(file.getParent());
    TestFiles.write(file, 3 * 1024 * 1024 + 17, 5);
    origin.serve("/file.bin", file);
    node = Supernode.start(SupernodeConfig.forTests(dataDir), InstantSource.system());
    taskId = Fixtures.registerAndWait(node.apiPort(), origin.url("/file.bin"), "fuzz-peer");
    outside = FileTree.snapshot(home, dataDir);
  }

  @AfterContainer
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (origin != null) {
      origin.close();
    }
    FileTree.delete(home);
  }

  /** After every batch: both ports answer a real request, and nothing new appeared outside the data directory. */
  @AfterProperty
  void stillServingAndContained() throws IOException {
    assertThat(RawHttp.exchange(node.apiPort(), RawHttp.request("GET", ProtocolV1.PING, null)).status()).isEqualTo(200);
    RawHttp.Answer piece = RawHttp.exchange(node.piecePort(),
        RawHttp.request("GET", ProtocolV1.path(ProtocolV1.FILE, taskId), null, "Range: bytes=0-9"));
    assertThat(piece.status()).isEqualTo(206);
    assertThat(FileTree.snapshot(home, dataDir)).isEqualTo(outside);
    assertThat(Files.readString(home.resolve("canary.txt"))).isEqualTo(canary);
  }

  @Property(tries = 200)
  void hostileTaskIdsInEveryRoute(@ForAll("segments") String id, @ForAll("routes") String route) throws IOException {
    String[] parts = route.split(" ", 3);
    int port = parts[0].equals("pieces") ? node.piecePort() : node.apiPort();
    String target = parts[2].replace("{taskId}", id).replace("{peerId}", id);
    String body = parts[1].equals("POST") ? "{}" : null;
    refused(port, RawHttp.request(parts[1], target, body, "Range: bytes=0-99"));
  }

  @Property(tries = 150)
  void hostileRegistrations(@ForAll("registrations") String body) throws IOException {
    refused(node.apiPort(), RawHttp.request("POST", ProtocolV1.REGISTER, body));
  }

  /** Some of these are valid (a report of a real piece, want 0): those get 200, the rest 4xx; none a 5xx. */
  @Property(tries = 150)
  void hostileScheduleRequests(@ForAll("schedules") String body) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(node.apiPort(),
        RawHttp.request("POST", ProtocolV1.path(ProtocolV1.SCHEDULE, taskId), body));
    assertThat(a.refused() || a.status() == 200).as("%s -> %s", body, a).isTrue();
    if (a.status() == 200) {
      io.damselfly.protocol.Json.read(a.body(), io.damselfly.protocol.ScheduleResponse.class);
    }
  }

  @Property(tries = 100)
  void badDigestsAreRefusedBeforeTheOriginIsAsked(@ForAll("digests") String digest) throws IOException {
    int before = origin.requests("/file.bin");
    String body = "{\"url\":" + HostileInput.quote(origin.url("/file.bin")) + ",\"expectedDigest\":"
        + HostileInput.quote(digest) + ",\"peer\":{\"peerId\":\"p1\",\"host\":\"127.0.0.1\",\"port\":0}}";
    refused(node.apiPort(), RawHttp.request("POST", ProtocolV1.REGISTER, body));
    assertThat(origin.requests("/file.bin")).isEqualTo(before);
  }

  @Property(tries = 150)
  void hostileRangesGetPartOfTheFileOr416(@ForAll("ranges") String range) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(node.piecePort(),
        RawHttp.request("GET", ProtocolV1.path(ProtocolV1.FILE, taskId), null, "Range: " + range));
    assertThat(a.status()).as("%s -> %s", range, a).isIn(-1, 206, 400, 416);
    if (a.status() == 206) {
      assertThat(a.head()).containsIgnoringCase("content-range: bytes ");
    }
    assertThat(a.bodyText()).doesNotContain(canary);
  }

  @Example
  void nonHttpUrlsAndLocalFilesAreNeverFetched() throws IOException {
    for (String url : new String[] {"file:///etc/passwd", "file:" + home.resolve("canary.txt"), "ftp://127.0.0.1/x",
        "jar:file:/x!/y", "gopher://127.0.0.1:70/x", "http://", "http:///x", "//127.0.0.1/x", "/etc/passwd"}) {
      String body = "{\"url\":" + HostileInput.quote(url) + ",\"peer\":{\"peerId\":\"p1\",\"host\":\"127.0.0.1\",\"port\":0}}";
      RawHttp.Answer a = RawHttp.exchange(node.apiPort(), RawHttp.request("POST", ProtocolV1.REGISTER, body));
      assertThat(a.status()).as("%s -> %s", url, a).isEqualTo(400);
      assertThat(a.bodyText()).doesNotContain(canary);
    }
  }

  @Example
  void oversizedRequestsAreRefused() throws IOException {
    String big = "{\"url\":\"" + "a".repeat(2 << 20) + "\"}";
    refused(node.apiPort(), RawHttp.request("POST", ProtocolV1.REGISTER, big));
    refused(node.apiPort(), RawHttp.request("GET", "/api/v1/tasks/" + "a".repeat(20_000), null));
    refused(node.piecePort(), RawHttp.request("GET", ProtocolV1.path(ProtocolV1.FILE, taskId), null,
        "X-Fill: " + "x".repeat(70_000)));
    refused(node.apiPort(), RawHttp.request("GET", ProtocolV1.TASKS, null, "Content-Length: -1"));
    refused(node.apiPort(), "GARBAGE\u0000\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  private static void refused(int port, byte[] request) throws IOException {
    RawHttp.requireRefused(port, request, canary);
  }

  @Provide
  Arbitrary<String> segments() {
    return HostileInput.segments();
  }

  @Provide
  Arbitrary<String> routes() {
    return Arbitraries.of(
        "api GET /api/v1/tasks/{taskId}", "api DELETE /api/v1/tasks/{taskId}", "api GET /api/v1/tasks/{taskId}/pieces",
        "api POST /api/v1/tasks/{taskId}/schedule", "api DELETE /api/v1/tasks/{taskId}/peers/{peerId}",
        "api GET /api/v1/tasks/{taskId}/peers/{peerId}", "pieces GET /peer/v1/tasks/{taskId}/file",
        "pieces GET /{taskId}", "api GET /{taskId}/{taskId}", "pieces HEAD /peer/v1/tasks/{taskId}/file");
  }

  @Provide
  Arbitrary<String> registrations() {
    return Arbitraries.oneOf(HostileInput.malformedJson(),
        HostileInput.jsonObjects("url", "headers", "identifier", "filter", "expectedDigest", "peer"),
        HostileInput.jsonValues().map(peer -> "{\"url\":\"http://127.0.0.1:1/x\",\"peer\":" + peer + "}"));
  }

  @Provide
  Arbitrary<String> schedules() {
    return Arbitraries.oneOf(HostileInput.malformedJson(),
        HostileInput.jsonObjects("peerId", "done", "failed", "want"),
        HostileInput.jsonValues().map(v -> "{\"peerId\":\"fuzz-peer\",\"want\":1,\"done\":[{\"piece\":" + v
            + ",\"source\":\"cdn\"}]}"),
        HostileInput.jsonValues().map(v -> "{\"peerId\":\"fuzz-peer\",\"want\":" + v + "}"));
  }

  @Provide
  Arbitrary<String> digests() {
    return HostileInput.badDigests();
  }

  @Provide
  Arbitrary<String> ranges() {
    return HostileInput.ranges();
  }
}
