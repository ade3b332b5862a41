package io.damselfly.peer.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.peer.PeerNode;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.peer.testkit.Requests;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Download patterns and failures of one node against a real origin and supernode. */
class DownloadPatternsTest {
  private static final long SIZE = 3L << 20;
  @TempDir static Path dir;
  private static Cluster cluster;
  private static PeerNode node;
  private static PeerNode helper;
  private Path out;

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.start(dir);
    node = cluster.node("node");
    helper = cluster.node("helper");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void outputs(TestInfo test) throws Exception {
    out = Files.createDirectories(dir.resolve("out-" + test.getTestMethod().orElseThrow().getName()));
  }

  private static ProgressEvent run(DownloadRequest request) {
    return Cluster.run(node, request);
  }

  /** A download of a path the origin does not have. */
  private static Requests missing(Path output) {
    return Requests.download(cluster.origin().url("/missing.bin"), output).nodes(cluster.supernode());
  }

  /** A download whose only supernode is a closed port. */
  private static Requests unreachable(OriginFile file, Path output) {
    return Requests.download(file.url(), output).nodes("127.0.0.1:" + Cluster.closedPort());
  }

  /** Downloads {@code file} over p2p on the node and checks that it worked. */
  private static ProgressEvent downloaded(OriginFile file, Path output) throws Exception {
    ProgressEvent end = run(cluster.download(file, output).build());
    assertThat(end.type()).as(end.message()).isEqualTo(ProgressEvent.Type.DONE);
    assertThat(TestFiles.sha256(output)).isEqualTo(file.sha256());
    return end;
  }

  private void assertDone(ProgressEvent end, Path output, OriginFile file) throws Exception {
    assertThat(end.type()).as(end.message()).isEqualTo(ProgressEvent.Type.DONE);
    assertThat(end.exitCode()).isZero();
    assertThat(TestFiles.sha256(output)).isEqualTo(file.sha256());
    assertThat(Cluster.namesIn(out)).containsExactly(output.getFileName().toString());
  }

  private void assertFailed(ProgressEvent end, DfgetExit exit) throws Exception {
    assertThat(end.type()).as(end.message()).isEqualTo(ProgressEvent.Type.ERROR);
    assertThat(end.exitCode()).as(end.message()).isEqualTo(exit.code());
    assertThat(end.message()).isNotBlank();
    assertThat(Cluster.namesIn(out)).as("nothing is left at or next to the output").isEmpty();
  }

  @Test
  void patternCdnTakesEveryPieceFromTheSupernodeAndUploadsNothing() throws Exception {
    OriginFile warmUp = cluster.serve("/warm-up.bin", SIZE, 11);
    downloaded(warmUp, dir.resolve("warm-up.bin")); // the supernode now knows the node's upload port
    OriginFile file = cluster.serve("/cdn.bin", SIZE, 1);
    ProgressEvent first = Cluster.run(helper, cluster.download(file, dir.resolve("helper-cdn.bin")).build());
    assertThat(first.type()).as(first.message()).isEqualTo(ProgressEvent.Type.DONE);

    Path output = out.resolve("cdn.bin");
    // capped at SIZE bytes/s, the download outlasts the look at the supernode below
    DownloadJob job = new DownloadJob(node.context(),
        cluster.download(file, output).pattern("cdn").localLimit(SIZE).build());
    CompletableFuture<ProgressEvent> end = CompletableFuture.supplyAsync(job::run, r -> Thread.ofVirtual().start(r));
    HeldFile piecesSoFar = job.servingFile().get(60, TimeUnit.SECONDS);
    TaskView during = cluster.task(first.taskId());
    ProgressEvent result = end.get(60, TimeUnit.SECONDS);

    assertThat(during.peers()).filteredOn(p -> p.peerId().startsWith(node.peerId()))
        .singleElement().satisfies(p -> assertThat(p.port()).as("a cdn-only peer offers no upload port").isZero());
    assertThat(node.context().files().lookup(piecesSoFar.taskId())).as("never offered to peers").isEmpty();
    assertDone(result, output, file);
    assertThat(result.fromCdn()).isEqualTo(SIZE);
    assertThat(result.fromPeers()).as("the helper holds every piece, yet none came from it").isZero();
    assertThat(cluster.task(first.taskId()).peers()).extracting(TaskView.PeerView::peerId)
        .as("a cdn-only peer leaves the task when done").noneMatch(id -> id.startsWith(node.peerId()));
    ProgressEvent again = downloaded(warmUp, out.resolve("again.bin"));
    assertThat(cluster.task(again.taskId()).peers()).filteredOn(p -> p.peerId().equals(node.peerId()))
        .singleElement().satisfies(p -> assertThat(p.port()).as("its p2p tasks keep its upload port")
            .isEqualTo(node.uploadPort()));
  }

  @Test
  void patternSourceReadsTheOriginAndNeverTheSupernode() throws Exception {
    OriginFile file = cluster.serve("/source.bin", SIZE, 2);
    Path output = out.resolve("source.bin");
    long before = cluster.origin().bodyBytes(file.path());

    ProgressEvent end = run(cluster.download(file, output).pattern("source").build());

    assertDone(end, output, file);
    assertThat(cluster.origin().bodyBytes(file.path()) - before).isEqualTo(SIZE);
    assertThat(end.fromSource()).isEqualTo(SIZE);
    assertThat(end.taskId()).isNull();
    assertThat(cluster.tasks()).extracting(TaskView::url).doesNotContain(file.url());
  }

  @Test
  void aWrongMd5IsExitThreeOverP2p() throws Exception {
    OriginFile file = cluster.serve("/md5.bin", SIZE, 3);
    ProgressEvent end = run(cluster.download(file, out.resolve("md5.bin")).digest("md5:" + "0".repeat(32)).build());
    assertFailed(end, DfgetExit.DIGEST_MISMATCH);
  }

  @Test
  void aWrongSha256IsExitThreeFromTheOrigin() throws Exception {
    OriginFile file = cluster.serve("/sha.bin", SIZE, 4);
    ProgressEvent end = run(cluster.download(file, out.resolve("sha.bin")).pattern("source")
        .digest("sha256:" + "0".repeat(64)).build());
    assertFailed(end, DfgetExit.DIGEST_MISMATCH);
  }

  @Test
  void theRightMd5Passes() throws Exception {
    OriginFile file = cluster.serve("/md5-ok.bin", SIZE, 5);
    Path output = out.resolve("md5-ok.bin");
    String md5 = TestFiles.digest(file.file(), Digest.Algorithm.MD5).toString();
    assertDone(run(cluster.download(file, output).digest(md5).build()), output, file);
  }

  @Test
  void badRequestsAreUsageErrorsThatTouchNothing() throws Exception {
    String url = cluster.origin().url("/usage.bin");
    Path output = out.resolve("usage.bin");
    assertFailed(run(Requests.download("ftp://127.0.0.1/usage.bin", output).build()), DfgetExit.USAGE);
    assertThatThrownBy(() -> Requests.download(url, output).pattern("torrent")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern must be p2p, cdn or source");
    assertFailed(run(Requests.download(url, output).digest("md5:xyz").build()), DfgetExit.USAGE);
    assertFailed(run(Requests.download(url, output).nodes("127.0.0.1:99999").build()), DfgetExit.USAGE);
    assertThat(cluster.origin().requests("/usage.bin")).isZero();
  }

  @Test
  void anOrigin404IsExitFive() throws Exception {
    ProgressEvent end = run(missing(out.resolve("missing.bin")).build());
    assertFailed(end, DfgetExit.ORIGIN_ERROR);
    assertThat(end.message()).contains("404");
  }

  @Test
  void anOrigin404FromTheOriginItselfIsExitFiveToo() throws Exception {
    ProgressEvent end = run(missing(out.resolve("missing.bin")).pattern("source").build());
    assertFailed(end, DfgetExit.ORIGIN_ERROR);
  }

  @Test
  void noReachableSupernodeWithoutBackToSourceIsExitFour() throws Exception {
    OriginFile file = cluster.serve("/nosn.bin", SIZE, 6);
    ProgressEvent end = run(unreachable(file, out.resolve("nosn.bin")).backToSource(false).build());
    assertFailed(end, DfgetExit.NO_SUPERNODE);
  }

  @Test
  void noReachableSupernodeWithBackToSourceDownloadsFromTheOrigin() throws Exception {
    OriginFile file = cluster.serve("/bts.bin", SIZE, 7);
    Path output = out.resolve("bts.bin");
    long before = cluster.origin().bodyBytes(file.path());

    ProgressEvent end = run(unreachable(file, output).backToSource(true).build());

    assertDone(end, output, file);
    assertThat(end.fromSource()).isEqualTo(SIZE);
    assertThat(cluster.origin().bodyBytes(file.path()) - before).isEqualTo(SIZE);
  }

  @Test
  void aTimeoutOnASlowOriginIsExitSixOverP2p() throws Exception {
    OriginFile file = cluster.serve("/slow-p2p.bin", SIZE, 8);
    cluster.origin().fault(file.path(), OriginServer.Fault.throttle(SIZE / 30));
    ProgressEvent end = run(cluster.download(file, out.resolve("slow.bin")).timeoutMillis(500).build());
    assertFailed(end, DfgetExit.TIMEOUT);
  }

  @Test
  void aTimeoutOnASlowOriginIsExitSixFromTheOrigin() throws Exception {
    OriginFile file = cluster.serve("/slow-source.bin", SIZE, 9);
    cluster.origin().fault(file.path(), OriginServer.Fault.throttle(SIZE / 30));
    ProgressEvent end = run(cluster.download(file, out.resolve("slow.bin")).pattern("source").timeoutMillis(500)
        .build());
    assertFailed(end, DfgetExit.TIMEOUT);
  }

  @Test
  void aSecondDownloadOfATaskReusesTheNodesCopy() throws Exception {
    OriginFile file = cluster.serve("/again.bin", SIZE, 10);
    ProgressEvent one = downloaded(file, out.resolve("first.bin"));
    int originRequests = cluster.origin().requests(file.path());
    long originBytes = cluster.origin().bodyBytes(file.path());
    long cdnBytes = cluster.task(one.taskId()).cdnBytes();

    ProgressEvent two = downloaded(file, out.resolve("second.bin"));

    assertThat(two.taskId()).isEqualTo(one.taskId());
    assertThat(two.fromCdn() + two.fromPeers() + two.fromSource()).isZero();
    assertThat(cluster.origin().requests(file.path())).isEqualTo(originRequests);
    assertThat(cluster.origin().bodyBytes(file.path())).isEqualTo(originBytes);
    assertThat(cluster.task(one.taskId()).cdnBytes()).isEqualTo(cdnBytes);
  }

  @Test
  void anOutputChangedInPlaceDoesNotSpoilTheNodesCopy() throws Exception {
    OriginFile file = cluster.serve("/edited.bin", SIZE, 12);
    Path first = out.resolve("first.bin");
    ProgressEvent one = downloaded(file, first);
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("edited by the user".getBytes(StandardCharsets.UTF_8)), 0);
    }

    downloaded(file, out.resolve("second.bin"));

    var range = cluster.http().get("http://127.0.0.1:" + node.uploadPort()
        + ProtocolV1.path(ProtocolV1.FILE, one.taskId()), "Range", "bytes=0-99");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(Arrays.copyOf(Files.readAllBytes(file.file()), 100));
  }

  @Test
  void aCopyThatExpiredBeforeTheNextHeartbeatIsDownloadedAgain() throws Exception {
    OriginFile file = cluster.serve("/expired.bin", SIZE, 13);
    ProgressEvent one = downloaded(file, out.resolve("first.bin"));
    assertThat(node.context().files().serving(TaskId.of(one.taskId()))).isTrue();

    node.context().files().expire(Duration.ZERO);

    ProgressEvent two = downloaded(file, out.resolve("second.bin"));
    assertThat(two.fromCdn() + two.fromPeers()).as("fetched again").isEqualTo(SIZE);
  }
}
