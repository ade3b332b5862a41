package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.DfdaemonProcess;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PieceDigests;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer node's (or a dfdaemon's) kept copy of a file is damaged on disk (every piece) after it finished. The next peer
 * catches each bad piece by its digest, takes it from the next source and reports it back to the node, which
 * hashes the piece again, then the rest of its copy, and stops offering every damaged piece; the supernode
 * isolates the node. The download is right.
 */
class DamagedPeerCopyTest {
  private static final long SIZE = 16L << 20;
  private static final Recorder RECORDER = new Recorder(DamagedPeerCopyTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aDamagedPeerCopyIsCaughtReportedAndNoLongerOffered() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha = TestFiles.write(file, SIZE, 81);
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            SupernodeProcess.SMALL_PIECES)) {
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(2));
      Dfget.Result first = dfget.run("a", List.of("--url", origin.url("/f.bin"), "--output",
          sandbox.dir("a-out").resolve("f.bin").toString(), "--node", sn.node()));
      assertThat(first.exitCode()).as("%s", first).isZero();
      check("peerCopy", "a finished peer node's kept copy is damaged on disk (every piece)", sandbox, sn, dfget,
          origin.url("/f.bin"), sha, sandbox.homeOf("a"), FaultKit.uploadPort(sandbox, "a"));
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aDamagedDfdaemonCopyIsCaughtReportedAndNoLongerOffered() throws Exception {
    Path file = dir.resolve("f.bin");
    Digest sha = TestFiles.write(file, SIZE, 82);
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            SupernodeProcess.SMALL_PIECES);
        DfdaemonProcess daemon = DfdaemonProcess.start("dfdaemon", Jars.dfdaemon(), sandbox.home("daemon"),
            sandbox.logDir(), List.of("--node", sn.node()))) {
      Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(2));
      Dfget.Result first;
      try (Proc p = dfget.startWithDaemon("user", daemon.port(), List.of("--url", origin.url("/f.bin"), "--output",
          sandbox.dir("user-out").resolve("f.bin").toString(), "--node", sn.node()))) {
        first = Dfget.await(p);
      }
      assertThat(first.exitCode()).as("%s", first).isZero();
      check("dfdaemonCopy", "a dfdaemon's kept copy of a finished download is damaged on disk (every piece)",
          sandbox, sn, dfget, origin.url("/f.bin"), sha, sandbox.homeOf("daemon"), daemon.uploadPort());
    }
  }

  /**
   * Damages every piece of the copy kept under {@code home}, downloads on a new host, and checks that the
   * download is right, the holder stopped offering every damaged piece and the supernode isolated it.
   */
  private void check(String name, String fault, Sandbox sandbox, SupernodeProcess sn, Dfget dfget, String url,
      Digest sha, Path home, int port) throws Exception {
    TaskView task = sn.taskFor(url).orElseThrow();
    Path kept = keptCopy(home, task.taskId());
    try (FileChannel ch = FileChannel.open(kept, StandardOpenOption.WRITE)) {
      for (int p = 0; p < task.pieceCount(); p++) {
        ch.write(ByteBuffer.wrap(new byte[] {0x42, 0x42}), (long) p * task.pieceSize() + 77);
      }
    }

    Path out = sandbox.dir("b-out").resolve("f.bin");
    Dfget.Result second = dfget.run("b", List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
        "--timeout", "10m"));
    List<String> digests = digests(sn, task.taskId());
    BitSet offered = FaultKit.until("the holder to stop offering damaged pieces", () -> {
      BitSet held = pieceMap(port, task.taskId());
      return damagedAmong(kept, held, digests, task.pieceSize()) == 0 ? java.util.Optional.of(held)
          : java.util.Optional.empty();
    });
    TaskView.PeerView holder = sn.taskFor(url).orElseThrow().peers().stream()
        .filter(p -> p.port() == port).findFirst().orElseThrow();

    long wrong = FaultKit.wrongBytes(List.of(out), sha);
    int partial = FaultKit.strayFiles(List.of(out));
    int dropped = task.pieceCount() - offered.cardinality();
    boolean ok = second.exitCode() == 0 && wrong == 0 && partial == 0 && dropped == task.pieceCount()
        && holder.state().equals("ISOLATED");
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("pieces damaged", task.pieceCount());
    figures.put("pieces the holder stopped offering (the reported ones, then its own check of the rest)", dropped);
    figures.put("holder at the supernode", holder.state());
    figures.put("seconds of the download (--timeout 600)", DamagedCdnTest.secs(second));
    RECORDER.record(name, fault, ok ? "the next peer caught each bad piece by its digest, took it from the CDN and "
            + "reported it back; the holder re-hashed its copy and stopped offering every damaged piece; the "
            + "supernode isolated it" : "failed: " + second,
        ok, (long) dropped * task.pieceSize(), wrong, partial, FaultKit.crashed(sn), task.pieceCount(), figures);

    assertThat(second.exitCode()).as("%s", second).isZero();
    assertThat(wrong).isZero();
    assertThat(partial).isZero();
    assertThat(dropped).as("pieces the holder no longer offers: all were damaged").isEqualTo(task.pieceCount());
    assertThat(holder.state()).isEqualTo("ISOLATED");
  }

  /** The node's kept copy of the task ({@code <home>/…/tasks/<taskId>.data}). */
  private static Path keptCopy(Path home, String taskId) throws Exception {
    try (Stream<Path> s = Files.walk(home)) {
      return s.filter(p -> p.getFileName().toString().equals(taskId + ".data")).findFirst().orElseThrow();
    }
  }

  private BitSet pieceMap(int port, String taskId) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + ProtocolV1.path(ProtocolV1.PIECE_MAP, taskId))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.read(r.body(), PieceMap.class).held();
  }

  private List<String> digests(SupernodeProcess sn, String taskId) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + sn.node()
        + ProtocolV1.path(ProtocolV1.PIECE_DIGESTS, taskId))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    return Json.read(r.body(), PieceDigests.class).digests();
  }

  /** Of the pieces {@code offered}, how many do not have their digest in {@code file}. */
  private static int damagedAmong(Path file, BitSet offered, List<String> digests, int pieceSize) throws Exception {
    byte[] all = Files.readAllBytes(file);
    int bad = 0;
    for (int p = offered.nextSetBit(0); p >= 0; p = offered.nextSetBit(p + 1)) {
      int len = (int) Math.min(pieceSize, all.length - (long) p * pieceSize);
      if (!Digest.of(Digest.Algorithm.SHA256, all, p * pieceSize, len).toString().equals(digests.get(p))) {
        bad++;
      }
    }
    return bad;
  }
}
