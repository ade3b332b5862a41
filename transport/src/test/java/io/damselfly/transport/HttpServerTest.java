package io.damselfly.transport;

import io.damselfly.protocol.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpServerTest {
  private static final int PIECE = 1024;

  @TempDir Path dir;
  private HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private byte[] content;
  private Path file;
  private volatile int verifiedPieces = 2;

  @BeforeEach
  void start() throws IOException {
    content = new byte[4 * PIECE];
    new Random(7).nextBytes(content);
    file = Files.write(dir.resolve("t.data"), content);
    PieceFiles files = id -> id.equals(TaskId.of("t1")) ? Optional.of(served()) : Optional.empty();
    Router router = new Router()
        .get("/echo/{name}", r -> Response.text(HttpResponseStatus.OK, "hello " + r.param("name")))
        .post("/json", r -> Response.ok(r.json(ErrorBody.class)))
        .get("/boom", r -> { throw new IllegalStateException("bug"); })
        .get("/stream", r -> new Response.Streaming(HttpResponseStatus.OK, Response.protocolHeaders(), -1,
            sink -> {
              sink.write("ab".getBytes(StandardCharsets.UTF_8), 0, 2);
              sink.writeFile(file, 0, 3);
            }));
    RangeFileHandler.mount(router, files);
    server = HttpServer.start(ServerConfig.defaults("test", 0).withBindHost("127.0.0.1"), router);
  }

  private PieceFiles.ServedFile served() {
    return new PieceFiles.ServedFile() {
      public Path path() { return file; }
      public long totalLength() { return content.length; }
      public boolean holds(long start, long length) { return start + length <= (long) verifiedPieces * PIECE; }
    };
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void routesWithDecodedPathParameters() throws Exception {
    HttpResponse<byte[]> r = get("/echo/a%20b");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello a b");
    assertThat(r.headers().firstValue(ProtocolV1.HEADER_PROTOCOL)).contains("1");
  }

  @Test
  void errorsMapToJsonAnswers() throws Exception {
    HttpResponse<byte[]> missing = get("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Json.read(missing.body(), ErrorBody.class).code()).isEqualTo(ErrorCode.NOT_FOUND);
    HttpResponse<byte[]> bug = get("/boom");
    assertThat(bug.statusCode()).isEqualTo(500);
    assertThat(Json.read(bug.body(), ErrorBody.class).message()).doesNotContain("bug").contains("IllegalStateException");
    HttpResponse<byte[]> bad = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/json"))
        .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.read(bad.body(), ErrorBody.class).message()).startsWith("body must be a JSON ErrorBody");
    HttpResponse<byte[]> wrongMethod = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/json"))
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void servesOnlyVerifiedRangesZeroCopy() throws Exception {
    String path = ProtocolV1.path(ProtocolV1.FILE, "t1");
    HttpResponse<byte[]> ok = get(path, "Range", "bytes=100-" + (2 * PIECE - 1));
    assertThat(ok.statusCode()).isEqualTo(206);
    assertThat(ok.body()).isEqualTo(Arrays.copyOfRange(content, 100, 2 * PIECE));
    assertThat(ok.headers().firstValue("content-range")).contains("bytes 100-2047/4096");
    assertThat(get(path, "Range", "bytes=0-" + (2 * PIECE)).statusCode()).isEqualTo(416);
    assertThat(get(path, "Range", "bytes=5000-6000").statusCode()).isEqualTo(416);
    assertThat(get(path, "Range", "bytes=1-2,4-5").statusCode()).isEqualTo(416);
    assertThat(get(ProtocolV1.path(ProtocolV1.FILE, "t2"), "Range", "bytes=0-1").statusCode()).isEqualTo(404);
    assertThat(get("/peer/v1/tasks/..%2F..%2Fetc/file").statusCode()).isEqualTo(404);
    assertThat(get("/peer/v1/tasks/UPPER/file").statusCode()).isEqualTo(400);
    verifiedPieces = 4;
    HttpResponse<byte[]> whole = get(path);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);
  }

  @Test
  void streamsChunkedBodies() throws Exception {
    HttpResponse<byte[]> r = get("/stream");
    assertThat(new String(r.body(), 0, 2, StandardCharsets.UTF_8)).isEqualTo("ab");
    assertThat(Arrays.copyOfRange(r.body(), 2, 5)).isEqualTo(Arrays.copyOfRange(content, 0, 3));
  }

  @Test
  void answersOrClosesAtOnceOnNonHttpBytes() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      // the first bytes of a TLS ClientHello, as clients probing for TLS send them
      out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, '\r', '\n', '\r', '\n'});
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = in.readAllBytes();
      String answer = new String(buf, StandardCharsets.ISO_8859_1);
      assertThat(answer.isEmpty() || answer.startsWith("HTTP/1.1 400")).as(answer).isTrue();
    }
    assertThat(get("/echo/x").statusCode()).isEqualTo(200);
  }
}
