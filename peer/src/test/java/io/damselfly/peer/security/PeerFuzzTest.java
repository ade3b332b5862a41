package io.damselfly.peer.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.peer.PeerNode;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.testing.fuzz.FileTree;
import io.damselfly.testing.fuzz.HostileInput;
import io.damselfly.testing.fuzz.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Hostile requests on a peer node's upload port and local API: refused with a 4xx, a closed connection or
 * (local downloads) an error event; the node keeps serving; nothing outside its data directory changes.
 */
class PeerFuzzTest {
  private static Path dir;
  private static Path home;
  private static Path canaryFile;
  private static String canary;
  private static Set<String> outside;
  private static Cluster cluster;
  private static PeerNode node;
  private static String taskId;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("peer-fuzz");
    cluster = Cluster.start(dir);
    node = cluster.node("fuzz");
    home = dir.resolve("fuzz");
    canaryFile = home.resolve("canary.txt");
    canary = FileTree.canary(canaryFile);
    OriginFile file = cluster.serve("/held.bin", 3L << 20, 9);
    ProgressEvent done = Cluster.run(node, cluster.download(file, dir.resolve("held.bin")).build());
    if (!done.type().equals(ProgressEvent.Type.DONE)) {
      throw new IllegalStateException("setup download failed: " + done.message());
    }
    taskId = done.taskId();
    outside = FileTree.snapshot(home, home.resolve("data"));
  }

  @AfterContainer
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    FileTree.delete(dir);
  }

  @AfterProperty
  void stillServingAndContained() throws IOException {
    RawHttp.Answer piece = RawHttp.exchange(node.uploadPort(),
        RawHttp.request("GET", ProtocolV1.path(ProtocolV1.FILE, taskId), null, "Range: bytes=0-9"));
    assertThat(piece.status()).isEqualTo(206);
    assertThat(RawHttp.exchange(node.localPort(), RawHttp.request("GET", ProtocolV1.LOCAL_NODE, null)).status())
        .isEqualTo(200);
    assertThat(FileTree.snapshot(home, home.resolve("data"))).isEqualTo(outside);
    assertThat(Files.readString(canaryFile)).isEqualTo(canary);
  }

  @Property(tries = 200)
  void hostileTaskIdsOnTheUploadPort(@ForAll("segments") String id, @ForAll("uploadRoutes") String route)
      throws IOException {
    String[] parts = route.split(" ", 2);
    refused(node.uploadPort(), RawHttp.request(parts[0], parts[1].replace("{taskId}", id), null, "Range: bytes=0-99"));
  }

  @Property(tries = 150)
  void hostileRangesGetPartOfTheFileOr416(@ForAll("ranges") String range) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(node.uploadPort(),
        RawHttp.request("GET", ProtocolV1.path(ProtocolV1.FILE, taskId), null, "Range: " + range));
    assertThat(a.status()).as("%s -> %s", range, a).isIn(-1, 206, 400, 416);
    assertThat(a.bodyText()).doesNotContain(canary);
  }

  @Property(tries = 150)
  void hostileLocalDownloadsEndInAnErrorAndWriteNothing(@ForAll("downloads") String body) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(node.localPort(), RawHttp.request("POST", ProtocolV1.LOCAL_DOWNLOADS, body));
    if (a.status() == 200) {
      String stream = a.bodyText();
      assertThat(stream).as(body).contains("\"type\":\"" + ProgressEvent.Type.ERROR.wire() + "\"")
          .doesNotContain("\"type\":\"" + ProgressEvent.Type.DONE.wire() + "\"");
    } else {
      assertThat(a.refused()).as("%s -> %s", body, a).isTrue();
    }
    assertThat(a.bodyText()).doesNotContain(canary);
  }

  @Example
  void oversizedAndMalformedRequestsAreRefused() throws IOException {
    refused(node.uploadPort(), RawHttp.request("GET", "/peer/v1/tasks/" + "a".repeat(20_000) + "/file", null));
    refused(node.uploadPort(), RawHttp.request("GET", ProtocolV1.path(ProtocolV1.FILE, taskId), null,
        "X-Fill: " + "x".repeat(70_000)));
    refused(node.uploadPort(), RawHttp.request("POST", ProtocolV1.path(ProtocolV1.FILE, taskId), "{}"));
    refused(node.localPort(), RawHttp.request("POST", ProtocolV1.LOCAL_DOWNLOADS, "{\"url\":\"" + "u".repeat(2 << 20) + "\"}"));
    refused(node.localPort(), "\u0016\u0003\u0001\u0000\u00a5\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  private static void refused(int port, byte[] request) throws IOException {
    RawHttp.requireRefused(port, request, canary);
  }

  @Provide
  Arbitrary<String> segments() {
    return HostileInput.segments();
  }

  @Provide
  Arbitrary<String> uploadRoutes() {
    return Arbitraries.of("GET /peer/v1/tasks/{taskId}/file", "GET /peer/v1/tasks/{taskId}/pieces",
        "HEAD /peer/v1/tasks/{taskId}/file", "DELETE /peer/v1/tasks/{taskId}/file", "GET /{taskId}",
        "GET /peer/v1/tasks/{taskId}/{taskId}", "GET /local/v1/{taskId}");
  }

  @Provide
  Arbitrary<String> ranges() {
    return HostileInput.ranges();
  }

  @Provide
  Arbitrary<String> downloads() {
    Arbitrary<String> outputs = Arbitraries.oneOf(Arbitraries.of(HostileInput.TRAVERSALS),
        Arbitraries.of(canaryFile.toString(), home.resolve("data").toString(), "/", "", "relative/out.bin",
            home.resolve("no-such-dir/out.bin").toString(), canaryFile + "\u0000.bin", "/proc/self/mem"));
    return Arbitraries.oneOf(HostileInput.malformedJson(),
        // supernodes stay on loopback: a fuzz test must send nothing beyond this machine
        HostileInput.jsonObjects("url", "output", "headers", "identifier", "filter", "expectedDigest", "pattern",
            "localLimit", "totalLimit", "timeoutMillis", "backToSource", "callSystem")
            .map(o -> o.length() > 2 ? o.substring(0, o.length() - 1) + ",\"nodes\":[\"127.0.0.1:1\"]}" : o),
        outputs.map(o -> "{\"url\":\"http://127.0.0.1:1/x\",\"backToSource\":true,\"output\":" + HostileInput.quote(o) + "}"),
        HostileInput.jsonValues().map(v -> "{\"url\":" + v + ",\"output\":" + HostileInput.quote(dir.resolve("x.bin").toString())
            + ",\"nodes\":[\"127.0.0.1:1\"],\"backToSource\":true}"));
  }
}
