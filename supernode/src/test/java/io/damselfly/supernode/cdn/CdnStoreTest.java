package io.damselfly.supernode.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.Digest;
import io.damselfly.common.PieceLayout;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.TestCdn;
import io.damselfly.testing.OriginServer.Fault;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CDN against a real origin: one fetch per content version, digested pieces, no corrupt entries. */
class CdnStoreTest {
  private static final int KIB = 1024;
  private static final Duration REVALIDATE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private TestCdn cdn;

  @BeforeEach
  void start() throws Exception {
    cdn = TestCdn.start(dir, clock, REVALIDATE);
  }

  @AfterEach
  void stop() {
    if (cdn != null) {
      cdn.close();
    }
  }

  @Test
  void concurrentRegistrationsFetchTheOriginOnce() throws Exception {
    long size = 3 * 1024 * KIB + 7;
    cdn.serve("/f.bin", size, 1);
    int n = 16;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CdnTask>> answers = new ArrayList<>();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        answers.add(callers.submit(() -> {
          go.await();
          return cdn.resolve("/f.bin");
        }));
      }
      go.countDown();
    }

    CdnTask first = answers.get(0).get();
    for (Future<CdnTask> f : answers) {
      assertThat(f.get()).isSameAs(first);
    }
    cdn.await(first, TaskStatus.SUCCESS);
    assertThat(cdn.origin().requests("/f.bin")).isEqualTo(1);
    assertThat(cdn.origin().bodyBytes("/f.bin")).isEqualTo(size);
    assertThat(first.originBytes()).isEqualTo(size);
  }

  @Test
  void aRedirectToAnotherHostIsFollowedWithoutTheUsersCredentials() throws Exception {
    long size = 300 * KIB;
    Path file = cdn.serve("/blob", size, 7);
    try (OriginServer storage = OriginServer.start().serve("/signed", file)) {
      cdn.origin().redirect("/v2/r/blobs/x", storage.url("/signed"));
      var req = new io.damselfly.protocol.RegisterRequest(cdn.origin().url("/v2/r/blobs/x"),
          java.util.Map.of("Authorization", java.util.List.of("Bearer secret")), null, null, null, TestCdn.PEER);

      CdnTask t = cdn.await(cdn.store().resolve(req), TaskStatus.SUCCESS);

      assertStoredExactly(t, file);
      assertThat(cdn.origin().authorizations("/v2/r/blobs/x")).containsExactly("Bearer secret");
      assertThat(storage.authorizations("/signed")).as("no token leaks to another host").containsExactly("");
    }
  }

  @Test
  void everyPieceDigestIsTheSha256OfItsSlice() throws Exception {
    long size = 3 * 256 * KIB + 12_345;
    Path file = cdn.serve("/f.bin", size, 2);

    CdnTask t = cdn.fetched("/f.bin");

    assertStoredExactly(t, file);
    assertThat(t.layout()).isEqualTo(PieceLayout.forLength(size, TestCdn.SMALL_PIECES));
    assertThat(t.layout().pieceCount()).isEqualTo(4);
  }

  @Test
  void aChunkedOriginOfUnknownLengthIsStoredWithItsLengthLearnedAtTheEnd() throws Exception {
    long size = 2L * PieceLayout.UNKNOWN_LENGTH_PIECE_SIZE + 1234;
    Path file = cdn.serve("/chunked.bin", size, 3);
    cdn.origin().fault("/chunked.bin", Fault.chunkedBody());

    CdnTask t = cdn.fetched("/chunked.bin");

    assertThat(t.layout()).isEqualTo(new PieceLayout(size, PieceLayout.UNKNOWN_LENGTH_PIECE_SIZE));
    assertThat(t.layout().pieceCount()).isEqualTo(3);
    assertStoredExactly(t, file);
  }

  @Test
  void anOriginErrorIsReportedWithItsStatusAndLeavesNoEntry() throws Exception {
    assertThatThrownBy(() -> cdn.resolve("/missing.bin"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ORIGIN_ERROR);
          assertThat(e.body().originStatus()).isEqualTo(404);
        });
    cdn.serve("/broken.bin", 1000, 4);
    cdn.origin().fault("/broken.bin", Fault.status(503));
    assertThatThrownBy(() -> cdn.resolve("/broken.bin"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.body().originStatus()).isEqualTo(503));

    assertThat(entries()).isEmpty();

    cdn.origin().fault("/broken.bin", Fault.NONE);
    assertThat(cdn.fetched("/broken.bin").storedBytes()).as("a later registration fetches afresh").isEqualTo(1000);
  }

  @Test
  void aTruncatedBodyFailsAndLeavesNoCorruptEntry() throws Exception {
    long size = 1024 * KIB;
    Path file = cdn.serve("/f.bin", size, 5);
    // every answer, resumed ones too, breaks off before a whole piece: the resumes bring nothing
    cdn.origin().fault("/f.bin", Fault.dropAfter(100 * KIB));

    CdnTask broken = cdn.await(cdn.resolve("/f.bin"), TaskStatus.FAILED);

    assertThat(broken.error().code()).isEqualTo(ErrorCode.ORIGIN_ERROR);
    assertThat(entries()).isEmpty();
    assertThat(cdn.store().lookup(broken.id())).as("nothing of a failed fetch is served").isEmpty();
    assertThat(cdn.restart().task(broken.id())).as("nothing of it survives a restart").isEmpty();

    cdn.origin().fault("/f.bin", Fault.NONE);
    CdnTask retried = cdn.fetched("/f.bin");
    assertThat(retried.id()).as("the same origin version is the same task").isEqualTo(broken.id());
    assertStoredExactly(retried, file);
  }

  @Test
  void contentNotMatchingTheExpectedDigestFailsAndLeavesNoEntry() throws Exception {
    cdn.serve("/f.bin", 300 * KIB, 6);
    String wrong = Digest.sha256Of(new byte[] {1, 2, 3}).toString();

    CdnTask t = cdn.await(cdn.store().resolve(cdn.request("/f.bin", wrong)), TaskStatus.FAILED);

    assertThat(t.error().message()).contains(wrong);
    assertThat(entries()).isEmpty();
  }

  @Test
  void contentMatchingTheExpectedDigestIsOneTaskWhateverItsUrl() throws Exception {
    Path file = cdn.serve("/a.bin", 300 * KIB, 7);
    cdn.origin().serve("/b.bin", file);
    String digest = TestFiles.sha256(file).toString();

    CdnTask a = cdn.await(cdn.store().resolve(cdn.request("/a.bin", digest)), TaskStatus.SUCCESS);
    CdnTask b = cdn.store().resolve(cdn.request("/b.bin", digest));

    assertThat(b).isSameAs(a);
    assertThat(a.id().value()).endsWith("-c");
    assertThat(cdn.origin().requests("/b.bin")).isZero();
  }

  @Test
  void aStoredFileIsRevalidatedWithoutDownloadingItsBodyAgain() throws Exception {
    long size = 512 * KIB;
    cdn.serve("/f.bin", size, 8);
    CdnTask t = cdn.fetched("/f.bin");

    assertThat(cdn.resolve("/f.bin")).isSameAs(t);
    assertThat(cdn.origin().requests("/f.bin")).as("fresh: the origin is not asked").isEqualTo(1);

    clock.advance(REVALIDATE.plusSeconds(1));
    assertThat(cdn.resolve("/f.bin")).isSameAs(t);
    assertThat(cdn.origin().requests("/f.bin")).as("stale: one conditional request").isEqualTo(2);
    assertThat(cdn.origin().bodyBytes("/f.bin")).as("answered 304: no body").isEqualTo(size);

    assertThat(cdn.resolve("/f.bin")).isSameAs(t);
    assertThat(cdn.origin().requests("/f.bin")).as("fresh again after the check").isEqualTo(2);
  }

  @Test
  void aChangedOriginFileBecomesANewTaskServingTheNewContent() throws Exception {
    long oldSize = 400 * KIB;
    long newSize = 600 * KIB;
    Path oldFile = cdn.serve("/f.bin", oldSize, 9);
    CdnTask old = cdn.fetched("/f.bin");
    Path newFile = cdn.serve("/f.bin", newSize, 10);

    clock.advance(REVALIDATE.plusSeconds(1));
    CdnTask changed = cdn.await(cdn.resolve("/f.bin"), TaskStatus.SUCCESS);

    assertThat(changed.id()).isNotEqualTo(old.id());
    assertThat(changed.key()).isEqualTo(old.key());
    assertStoredExactly(changed, newFile);
    assertThat(TestFiles.sha256(cdn.store().lookup(changed.id()).orElseThrow().path()))
        .isEqualTo(TestFiles.sha256(newFile));
    assertThat(cdn.origin().bodyBytes("/f.bin")).isEqualTo(oldSize + newSize);
    assertThat(cdn.resolve("/f.bin")).as("the new version is current").isSameAs(changed);
    assertStoredExactly(old, oldFile);
  }

  @Test
  void aRestartServesCompleteFilesWithoutFetchingThemAgainAndDropsPartialOnes() throws Exception {
    long size = 700 * KIB;
    Path file = cdn.serve("/f.bin", size, 11);
    CdnTask before = cdn.fetched("/f.bin");
    Path partial = Files.createDirectories(cdn.dataDir().resolve("cdn").resolve("0123-abc"));
    Files.write(partial.resolve("data"), new byte[100]);

    CdnStore restarted = cdn.restart();

    CdnTask after = restarted.task(before.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(TaskStatus.SUCCESS);
    assertStoredExactly(after, file);
    assertThat(partial).doesNotExist();
    assertThat(cdn.resolve("/f.bin")).isSameAs(after);
    assertThat(cdn.origin().bodyBytes("/f.bin")).as("revalidated with a 304, not fetched").isEqualTo(size);
  }

  /** Asserts that {@code t} is complete and holds exactly {@code file}, piece digest by piece digest. */
  private static void assertStoredExactly(CdnTask t, Path file) throws Exception {
    byte[] content = Files.readAllBytes(file);
    PieceLayout layout = t.layout();
    assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(layout.contentLength()).isEqualTo(content.length);
    assertThat(t.storedBytes()).isEqualTo(content.length);
    assertThat(t.storedPieces()).isEqualTo(layout.pieceCount());
    for (int i = 0; i < layout.pieceCount(); i++) {
      String slice = Digest.of(Digest.Algorithm.SHA256, content, (int) layout.offsetOf(i), layout.lengthOf(i)).toString();
      assertThat(t.digest(i)).as("digest of piece %d", i).isEqualTo(slice);
    }
    assertThat(t.digest(layout.pieceCount())).isNull();
    assertThat(t.fileDigest()).isEqualTo(Digest.sha256Of(content).toString());
    assertThat(Files.readAllBytes(t.dataFile())).isEqualTo(content);
  }

  /** The task directories on disk. */
  private List<Path> entries() throws Exception {
    try (Stream<Path> s = Files.list(cdn.dataDir().resolve("cdn"))) {
      return s.toList();
    }
  }
}
