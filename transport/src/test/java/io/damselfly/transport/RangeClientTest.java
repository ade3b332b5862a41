package io.damselfly.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.ProtocolV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The piece client against a real piece server, and against a raw socket that misbehaves on purpose. */
class RangeClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String PATH = ProtocolV1.path(ProtocolV1.FILE, "t1");

  @TempDir Path dir;
  private byte[] content;
  private HttpServer server;
  private RangeClient client;
  private RawServer raw;

  @BeforeEach
  void start() throws IOException {
    content = new byte[3 * 1024 * 1024 + 17];
    new Random(11).nextBytes(content);
    Path file = Files.write(dir.resolve("t1.data"), content);
    PieceFiles files = id -> id.equals(TaskId.of("t1")) ? Optional.of(new PieceFiles.ServedFile() {
      public Path path() { return file; }
      public long totalLength() { return content.length; }
      public boolean holds(long start, long length) { return start + length <= 2L * 1024 * 1024; }
    }) : Optional.empty();
    server = HttpServer.start(ServerConfig.defaults("pieces", 0).withBindHost("127.0.0.1")
        .withIdleTimeout(Duration.ofMillis(300)), RangeFileHandler.mount(new Router(), files));
    client = new RangeClient(ClusterAccess.NONE, 1, Duration.ofSeconds(2), Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
    if (raw != null) {
      raw.close();
    }
  }

  private byte[] get(int port, String path, long offset, int length, Pacer pacer) throws Exception {
    byte[] into = new byte[length + 5];
    client.get("127.0.0.1", port, path, Map.of(ProtocolV1.HEADER_PEER_ID, "me"), offset, into, length, pacer, TIMEOUT);
    return into;
  }

  @Test
  void fillsTheBufferWithExactlyTheRangeAsked() throws Exception {
    for (long offset : new long[] {0, 1, 1024 * 1024 - 3, 1500 * 1024}) {
      int length = 512 * 1024 + 7;
      byte[] got = get(server.port(), PATH, offset, length, Pacer.NONE);
      assertThat(Arrays.copyOf(got, length)).isEqualTo(Arrays.copyOfRange(content, (int) offset, (int) offset + length));
      assertThat(Arrays.copyOfRange(got, length, got.length)).containsOnly(0);
    }
  }

  @Test
  void aNodeNamedByHostNameIsResolvedAndAnUnknownNameIsAFailure() throws Exception {
    byte[] into = new byte[100];
    client.get("localhost", server.port(), PATH, Map.of(), 7, into, 100, Pacer.NONE, TIMEOUT);
    assertThat(into).isEqualTo(Arrays.copyOfRange(content, 7, 107));
    assertThatThrownBy(() -> client.get("no-such-host.invalid", server.port(), PATH, Map.of(), 0, into, 10,
        Pacer.NONE, TIMEOUT))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e).hasMessageContaining("no-such-host.invalid"));
  }

  @Test
  void theServerClosingAKeptConnectionIsNotAFailure() throws Exception {
    get(server.port(), PATH, 0, 1000, Pacer.NONE);
    Thread.sleep(1000); // past the server's idle timeout: the kept connection is closed on the other side
    byte[] got = get(server.port(), PATH, 1000, 1000, Pacer.NONE);
    assertThat(Arrays.copyOf(got, 1000)).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));
  }

  @Test
  void everyByteGoesThroughThePacerAndPausesDoNotLoseAny() throws Exception {
    AtomicLong paced = new AtomicLong();
    int length = 1024 * 1024;
    byte[] got = get(server.port(), PATH, 5, length, bytes -> {
      assertThat(bytes).isBetween(1, 64 * 1024);
      paced.addAndGet(bytes);
      return 2_000_000; // 2 ms after every chunk
    });
    assertThat(paced.get()).isEqualTo(length);
    assertThat(Arrays.copyOf(got, length)).isEqualTo(Arrays.copyOfRange(content, 5, 5 + length));
  }

  @Test
  void answersOtherThanPartialContentAreStatusFailures() {
    assertThatThrownBy(() -> get(server.port(), ProtocolV1.path(ProtocolV1.FILE, "nope"), 0, 10, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> {
          assertThat(e.kind()).isEqualTo(RangeException.Kind.STATUS);
          assertThat(e).hasMessageContaining("404");
        });
    // bytes the server has not verified: 416, and the connection still serves the next request
    assertThatThrownBy(() -> get(server.port(), PATH, 2L * 1024 * 1024 - 1, 10, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.STATUS));
    assertThat(Arrays.copyOf(getQuietly(), 10)).isEqualTo(Arrays.copyOf(content, 10));
  }

  private byte[] getQuietly() {
    try {
      return get(server.port(), PATH, 0, 10, Pacer.NONE);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void pastItsUploadSlotsAServerAnswersBusyAndFreesTheSlotOnceAnUploadIsSent() throws Exception {
    UploadSlots slots = new UploadSlots(1);
    PieceFiles files = id -> Optional.of(new PieceFiles.ServedFile() {
      public Path path() { return dir.resolve("t1.data"); }
      public long totalLength() { return content.length; }
      public boolean holds(long start, long length) { return true; }
    });
    try (HttpServer bounded = HttpServer.start(ServerConfig.defaults("pieces", 0).withBindHost("127.0.0.1"),
        RangeFileHandler.mount(new Router(), files, slots))) {
      assertThat(slots.tryTake()).as("an upload in progress").isTrue();
      assertThatThrownBy(() -> get(bounded.port(), PATH, 0, 100, Pacer.NONE))
          .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.BUSY));
      slots.give();
      byte[] got = get(bounded.port(), PATH, 100, 1000, Pacer.NONE);
      assertThat(Arrays.copyOf(got, 1000)).isEqualTo(Arrays.copyOfRange(content, 100, 1100));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (slots.inUse() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(slots.inUse()).as("the sent upload gave its slot back").isZero();
      assertThat(slots.tryTake()).isTrue();
      assertThat(slots.tryTake()).as("one slot only").isFalse();
    }
  }

  @Test
  void aBodyCutShortIsAShortFailure() throws Exception {
    int port = rawServer(req -> "HTTP/1.1 206 Partial Content\r\nContent-Length: 100\r\n\r\n" + "x".repeat(40));
    assertThatThrownBy(() -> get(port, PATH, 0, 100, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.SHORT));
  }

  @Test
  void moreBytesThanAskedAreALongFailure() throws Exception {
    int port = rawServer(req -> "HTTP/1.1 206 Partial Content\r\nContent-Length: 200\r\n\r\n" + "x".repeat(200));
    assertThatThrownBy(() -> get(port, PATH, 0, 100, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.LONG));
    int chunked = rawServer(req -> "HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "c8\r\n" + "y".repeat(200) + "\r\n0\r\n\r\n");
    assertThatThrownBy(() -> get(chunked, PATH, 0, 100, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.LONG));
  }

  @Test
  void garbageIsAnIoFailure() throws Exception {
    int port = rawServer(req -> "SSH-2.0-OpenSSH\r\n\r\n");
    assertThatThrownBy(() -> get(port, PATH, 0, 100, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.IO));
  }

  @Test
  void aSilentServerIsATimeoutAndTheBufferIsLeftAlone() throws Exception {
    int port = rawServer(req -> null);
    byte[] into = new byte[100];
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.get("127.0.0.1", port, PATH, Map.of(), 0, into, 100, Pacer.NONE,
        Duration.ofMillis(300)))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    assertThat(into).containsOnly(0);
  }

  @Test
  void aClosedPortIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> get(port, PATH, 0, 10, Pacer.NONE))
        .isInstanceOfSatisfying(RangeException.class, e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.CONNECT));
  }

  @Test
  void sendsTheRangeTheCallersHeadersAndTheClusterSecret() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    int port = rawServer(req -> {
      requests.add(req);
      return "HTTP/1.1 206 Partial Content\r\nContent-Length: 4\r\n\r\nabcd";
    });
    try (RangeClient secret = new RangeClient(new ClusterAccess("s3cret-value", null), 1, Duration.ofSeconds(2),
        Duration.ofMinutes(1))) {
      byte[] into = new byte[4];
      secret.get("127.0.0.1", port, PATH, Map.of(ProtocolV1.HEADER_PEER_ID, "me"), 10, into, 4, Pacer.NONE, TIMEOUT);
      assertThat(new String(into, StandardCharsets.US_ASCII)).isEqualTo("abcd");
    }
    assertThat(requests).singleElement().satisfies(r -> assertThat(r.toLowerCase())
        .startsWith("get " + PATH.toLowerCase() + " http/1.1")
        .contains("range: bytes=10-13")
        .contains(ProtocolV1.HEADER_PEER_ID.toLowerCase() + ": me")
        .contains(ProtocolV1.HEADER_SECRET.toLowerCase() + ": s3cret-value"));
  }

  /** A raw server answering each request head with {@code answer} (null: stay silent); replaces the last one. */
  private int rawServer(Function<String, String> answer) throws IOException {
    if (raw != null) {
      raw.close();
    }
    raw = RawServer.start(answer);
    return raw.port();
  }
}
