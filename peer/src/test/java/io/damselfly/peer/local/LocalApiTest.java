package io.damselfly.peer.local;

import io.damselfly.protocol.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.peer.PeerNode;
import io.damselfly.peer.testkit.Await;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.Http;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.peer.testkit.Requests;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.testing.TestFiles;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's local API over real HTTP, as dfget uses it. */
class LocalApiTest {
  private static final long SIZE = 2L << 20;
  @TempDir static Path dir;
  private static Cluster cluster;
  private static PeerNode node;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    node = cluster.node("local-home");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String local(String path) {
    return "http://127.0.0.1:" + node.localPort() + path;
  }

  private static HttpResponse<InputStream> post(DownloadRequest request) throws Exception {
    return cluster.http().client().send(Http.post(local(ProtocolV1.LOCAL_DOWNLOADS), Json.write(request)),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void getNodeDescribesTheNode() throws Exception {
    HttpResponse<byte[]> r = cluster.http().get(local(ProtocolV1.LOCAL_NODE));

    assertThat(r.statusCode()).isEqualTo(200);
    NodeInfo info = Json.read(r.body(), NodeInfo.class);
    assertThat(info.kind()).isEqualTo("dfget-server");
    assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.uploadPort()).isEqualTo(node.uploadPort());
    assertThat(info.home()).isEqualTo(dir.resolve("local-home").toString());
    assertThat(info.version()).isNotBlank();
  }

  @Test
  void aDownloadStreamsProgressLinesAndEndsWithDone() throws Exception {
    OriginFile file = cluster.serve("/streamed.bin", SIZE, 31);
    Path output = Files.createDirectories(dir.resolve("streamed")).resolve("f.bin");
    // capped at half the size per second, the download lasts far longer than one 200 ms progress period
    HttpResponse<InputStream> r = post(cluster.download(file, output).localLimit(SIZE / 2).build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
    List<ProgressEvent> events;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      events = lines.lines().map(l -> Json.read(l.getBytes(StandardCharsets.UTF_8), ProgressEvent.class))
          .collect(Collectors.toList());
    }

    ProgressEvent last = events.getLast();
    assertThat(last.type()).as(last.message()).isEqualTo(ProgressEvent.Type.DONE);
    assertThat(last.exitCode()).isZero();
    assertThat(last.doneBytes()).isEqualTo(SIZE);
    assertThat(last.message()).contains(output.toString());
    List<ProgressEvent> before = events.subList(0, events.size() - 1);
    assertThat(before).isNotEmpty().allSatisfy(e -> assertThat(e.type()).isEqualTo(ProgressEvent.Type.PROGRESS));
    assertThat(before).extracting(ProgressEvent::doneBytes).isSorted();
    assertThat(TestFiles.sha256(output)).isEqualTo(file.sha256());
  }

  @Test
  void aFailedDownloadEndsWithAnErrorLineCarryingTheExitCode() throws Exception {
    Path output = Files.createDirectories(dir.resolve("failing")).resolve("f.bin");
    DownloadRequest missing = Requests.download(cluster.origin().url("/nothing.bin"), output)
        .nodes(cluster.supernode()).build();
    HttpResponse<byte[]> r = cluster.http().postRaw(local(ProtocolV1.LOCAL_DOWNLOADS), Json.write(missing));

    assertThat(r.statusCode()).isEqualTo(200);
    String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\n");
    ProgressEvent last = Json.read(lines[lines.length - 1].getBytes(StandardCharsets.UTF_8), ProgressEvent.class);
    assertThat(last.type()).isEqualTo(ProgressEvent.Type.ERROR);
    assertThat(last.exitCode()).isEqualTo(5);
    assertThat(output.getParent()).isEmptyDirectory();
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    HttpResponse<byte[]> r = cluster.http().postRaw(local(ProtocolV1.LOCAL_DOWNLOADS),
        "{\"url\": ".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    ErrorBody error = Json.read(r.body(), ErrorBody.class);
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.message()).contains("DownloadRequest");
  }

  @Test
  void aRequestWithoutOutputIsABadRequest() throws Exception {
    var request = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(Json.write(
        DownloadRequest.builder(cluster.origin().url("/x"), "/unused").nodes(List.of(cluster.supernode())).build()));
    request.remove("output");
    byte[] noOutput = Json.mapper().writeValueAsBytes(request);
    HttpResponse<byte[]> r = cluster.http().postRaw(local(ProtocolV1.LOCAL_DOWNLOADS), noOutput);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.read(r.body(), ErrorBody.class).message()).contains("output");
  }

  @Test
  void closingTheConnectionCancelsTheDownloadAndRemovesItsTemporaryFile() throws Exception {
    OriginFile file = cluster.serve("/cancelled.bin", 8L << 20, 32);
    Path outputs = Files.createDirectories(dir.resolve("cancelled"));
    Path output = outputs.resolve("f.bin");
    // at 256 KiB/s the 8 MiB would take half a minute: the download is surely running when cancelled
    HttpResponse<InputStream> r = post(cluster.download(file, output).localLimit(256 * 1024).build());
    BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    ProgressEvent first = Json.read(lines.readLine().getBytes(StandardCharsets.UTF_8), ProgressEvent.class);
    assertThat(first.type()).isEqualTo(ProgressEvent.Type.PROGRESS);
    assertThat(Cluster.namesIn(outputs)).singleElement().asString().startsWith(".f.bin.").endsWith(".tmp");

    lines.close();

    Await.until("the temporary file is removed", () -> Cluster.namesIn(outputs).isEmpty());
    Await.until("the node has no download in flight", () -> node.context().serving().downloadsInFlight() == 0);
    assertThat(output).doesNotExist();
  }
}
