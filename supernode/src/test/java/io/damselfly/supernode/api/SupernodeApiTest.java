package io.damselfly.supernode.api;

import io.damselfly.protocol.ErrorCode;
import static io.damselfly.supernode.api.ApiClient.error;
import static io.damselfly.supernode.api.ApiClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDigests;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse.Status;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.OriginServer.Fault;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running supernode driven over HTTP, with real peers fetching real pieces. */
class SupernodeApiTest {
  private static final long SIZE = 2L * 1024 * 1024 + 4321;
  private static final String UNKNOWN_TASK = "0123456789abcdef0123456789abcdef-0123456789ab";

  @TempDir Path dir;
  private OriginServer origin;
  private Supernode supernode;
  private ApiClient api;
  private Path file;

  @BeforeEach
  void start() throws Exception {
    origin = OriginServer.start();
    file = dir.resolve("f.bin");
    TestFiles.write(file, SIZE, 42);
    origin.serve("/f.bin", file);
    supernode = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")), new FakeClock());
    api = new ApiClient(supernode.apiPort());
  }

  @AfterEach
  void stop() {
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

  @Test
  void aPeerDownloadsEveryPieceAndIsDone() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"))) {
      RegisterResponse reg = a.register(origin.url("/f.bin"));
      assertThat(reg.taskId()).matches("[0-9a-f]{32}-[0-9a-f]{12}");
      assertThat(reg.contentLength()).isEqualTo(SIZE);
      assertThat(reg.pieceCount()).isEqualTo(9);

      ScheduleResponse end = a.download();

      assertThat(end.status()).isEqualTo(Status.DONE);
      assertThat(end.fileDigest()).isEqualTo(TestFiles.sha256(file).toString());
      assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(file));
      TaskView view = ok(api.get(ProtocolV1.path(ProtocolV1.TASK, reg.taskId())), TaskView.class);
      assertThat(view.status()).isEqualTo(TaskStatus.SUCCESS);
      assertThat(view.piecesStored()).isEqualTo(9);
      assertThat(view.originBytes()).isEqualTo(SIZE);
      assertThat(view.cdnBytes()).isEqualTo(SIZE);
      assertThat(view.peers()).singleElement().satisfies(p -> {
        assertThat(p.peerId()).isEqualTo("peer-a");
        assertThat(p.state()).isEqualTo("ACTIVE");
        assertThat(p.piecesHave()).isEqualTo(9);
        assertThat(p.bytesFromCdn()).isEqualTo(SIZE);
        assertThat(p.bytesFromPeers()).isZero();
      });
    }
  }

  @Test
  void aSecondPeerFetchesFromTheFirstAndTheTaskViewShowsPerPeerStats() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"));
        TestPeer b = new TestPeer("peer-b", api, dir.resolve("b.bin"))) {
      a.register(origin.url("/f.bin"));
      assertThat(a.download().status()).isEqualTo(Status.DONE);
      String taskId = b.register(origin.url("/f.bin")).taskId();

      assertThat(b.download().status()).isEqualTo(Status.DONE);

      assertThat(Files.readAllBytes(b.file())).isEqualTo(Files.readAllBytes(file));
      assertThat(a.failures()).isEmpty();
      assertThat(b.failures()).isEmpty();
      assertThat(origin.bodyBytes("/f.bin")).as("the origin sent the file once").isEqualTo(SIZE);
      List<TaskView> all = List.of(ok(api.get(ProtocolV1.TASKS), TaskView[].class));
      assertThat(all).extracting(TaskView::taskId).containsExactly(taskId);
      TaskView view = all.get(0);
      TaskView.PeerView pa = view.peers().stream().filter(p -> p.peerId().equals("peer-a")).findFirst().orElseThrow();
      TaskView.PeerView pb = view.peers().stream().filter(p -> p.peerId().equals("peer-b")).findFirst().orElseThrow();
      assertThat(pb.bytesFromPeers()).as("b fetched from a").isPositive();
      assertThat(pb.bytesFromPeers() + pb.bytesFromCdn()).isEqualTo(SIZE);
      assertThat(pa.bytesUploaded()).isEqualTo(pb.bytesFromPeers());
      assertThat(pa.bytesFromCdn()).isEqualTo(SIZE);
      assertThat(pb.piecesHave()).isEqualTo(9);
      assertThat(view.cdnBytes()).isEqualTo(SIZE + pb.bytesFromCdn());
    }
  }

  @Test
  void peersLearnPieceDigestsAndTheirUploadingNeighbors() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"));
        TestPeer b = new TestPeer("peer-b", api, dir.resolve("b.bin"))) {
      String taskId = a.register(origin.url("/f.bin")).taskId();
      assertThat(a.download().status()).isEqualTo(Status.DONE);
      b.register(origin.url("/f.bin"));

      PieceDigests digests = ok(api.get(ProtocolV1.path(ProtocolV1.PIECE_DIGESTS, taskId)), PieceDigests.class);
      ScheduleResponse r = ok(api.post(ProtocolV1.path(ProtocolV1.SCHEDULE, taskId),
          new ScheduleRequest("peer-b", List.of(), List.of(), 1)), ScheduleResponse.class);

      assertThat(digests.contentLength()).isEqualTo(SIZE);
      assertThat(digests.digests()).hasSize(9);
      for (int i = 0; i < 9; i++) {
        int size = digests.pieceSize();
        byte[] slice = java.util.Arrays.copyOfRange(Files.readAllBytes(file), i * size, (int) Math.min(SIZE, (long) (i + 1) * size));
        assertThat(digests.digests().get(i)).isEqualTo(io.damselfly.common.Digest.sha256Of(slice).toString());
      }
      assertThat(r.neighbors()).extracting(io.damselfly.protocol.Source::peerId).containsExactly("peer-a");
      assertThat(api.get(ProtocolV1.path(ProtocolV1.PIECE_DIGESTS, "0123456789abcdef0123456789abcdef-c")).statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void badJsonIsABadRequestWithAnErrorBody() throws Exception {
    byte[] junk = "{not json".getBytes(StandardCharsets.UTF_8);

    ErrorBody register = error(api.send("POST", ProtocolV1.REGISTER, junk), 400);
    ErrorBody schedule = error(api.send("POST", ProtocolV1.path(ProtocolV1.SCHEDULE, UNKNOWN_TASK), junk), 400);

    assertThat(register.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(register.message()).contains("RegisterRequest");
    assertThat(schedule.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    PeerAddress me = new PeerAddress("peer-a", "127.0.0.1", 0);
    ErrorBody badUrl = error(api.send("POST", ProtocolV1.REGISTER, io.damselfly.protocol.Json.write(java.util.Map.of(
        "url", "ftp://example.org/f", "peer", me))), 400);
    assertThat(badUrl.message()).contains("http");
    ErrorBody noPeer = error(api.send("POST", ProtocolV1.REGISTER,
        ("{\"url\":\"" + origin.url("/f.bin") + "\"}").getBytes(StandardCharsets.UTF_8)), 400);
    assertThat(noPeer.message()).contains("peer");
    assertThat(origin.requests("/f.bin")).as("bad registrations never reach the origin").isZero();
  }

  @Test
  void anUnknownTaskIsNotFound() throws Exception {
    assertThat(error(api.get(ProtocolV1.path(ProtocolV1.TASK, UNKNOWN_TASK)), 404).code()).isEqualTo(ErrorCode.TASK_NOT_FOUND);
    ScheduleRequest ask = new ScheduleRequest("peer-a", List.of(), List.of(), 1);
    assertThat(error(api.post(ProtocolV1.path(ProtocolV1.SCHEDULE, UNKNOWN_TASK), ask), 404).code())
        .isEqualTo(ErrorCode.TASK_NOT_FOUND);
    HttpResponse<byte[]> piece = api.range("127.0.0.1", supernode.piecePort(), UNKNOWN_TASK, 0, 10, "peer-a");
    assertThat(error(piece, 404).code()).isEqualTo(ErrorCode.TASK_NOT_FOUND);
  }

  @Test
  void anOriginErrorReachesThePeerWithTheOriginStatus() throws Exception {
    PeerAddress me = new PeerAddress("peer-a", "127.0.0.1", 0);

    ErrorBody e = error(api.post(ProtocolV1.REGISTER,
        new RegisterRequest(origin.url("/missing.bin"), null, null, null, null, me)), 502);

    assertThat(e.code()).isEqualTo(ErrorCode.ORIGIN_ERROR);
    assertThat(e.originStatus()).isEqualTo(404);
    assertThat(ok(api.get(ProtocolV1.TASKS), TaskView[].class)).isEmpty();
  }

  @Test
  void aPeerThatLeavesIsGoneFromTheTask() throws Exception {
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"))) {
      String taskId = a.register(origin.url("/f.bin")).taskId();
      String peerPath = ProtocolV1.path(ProtocolV1.PEER, taskId, "peer-a");

      HttpResponse<byte[]> left = api.send("DELETE", peerPath, null);

      assertThat(left.statusCode()).isEqualTo(204);
      assertThat(ok(api.get(ProtocolV1.path(ProtocolV1.TASK, taskId)), TaskView.class).peers()).isEmpty();
      assertThat(error(api.send("DELETE", peerPath, null), 404).code()).isEqualTo(ErrorCode.PEER_NOT_FOUND);
      assertThat(error(api.post(ProtocolV1.path(ProtocolV1.SCHEDULE, taskId),
          new ScheduleRequest("peer-a", List.of(), List.of(), 1)), 404).code()).isEqualTo(ErrorCode.PEER_NOT_FOUND);
    }
  }

  @Test
  void aFailedOriginFetchIsReportedAndARetryOfTheSameVersionSucceeds() throws Exception {
    // every answer breaks off inside the first piece, so resuming with Range brings nothing and the fetch fails
    origin.fault("/f.bin", Fault.dropAfter(1000));
    try (TestPeer a = new TestPeer("peer-a", api, dir.resolve("a.bin"))) {
      String first = a.register(origin.url("/f.bin")).taskId();
      ScheduleResponse failed = a.download();
      assertThat(failed.status()).isEqualTo(Status.FAILED);
      assertThat(failed.error().code()).isEqualTo(ErrorCode.ORIGIN_ERROR);

      origin.fault("/f.bin", Fault.NONE);
      String again = a.register(origin.url("/f.bin")).taskId();
      assertThat(again).as("the origin file did not change").isEqualTo(first);

      assertThat(a.download().status()).isEqualTo(Status.DONE);
      assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(file));
    }
  }

  @Test
  void pingAnswersOk() throws Exception {
    HttpResponse<byte[]> r = api.get(ProtocolV1.PING);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("OK");
  }
}
