package io.damselfly.supernode.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.supernode.TestCdn;
import io.damselfly.supernode.cdn.CdnTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * A real {@link Scheduler} on a fake clock, over a real CDN task of {@link #PIECES} stored pieces,
 * driven the way the API drives it. Requests with {@code want > 0} must have work to get: on a
 * fake clock a parked request only ends when the test moves the clock.
 */
final class SchedulerHarness implements AutoCloseable {
  static final int PIECES = 8;
  static final Source CDN = new Source(ProtocolV1.CDN_SOURCE, "127.0.0.1", 8001);

  final FakeClock clock = new FakeClock();
  final SupernodeConfig config;
  final CdnTask task;
  final Scheduler scheduler;
  private final TestCdn cdn;
  private int nextPort = 40_000;

  private SchedulerHarness(Path dir, UnaryOperator<SupernodeConfig> tune) throws Exception {
    this.config = tune.apply(SupernodeConfig.forTests(dir.resolve("supernode")));
    this.cdn = TestCdn.start(dir, clock, config.revalidateAfter());
    try {
      cdn.serve("/f.bin", PIECES * 256 * 1024L, 1);
      this.task = cdn.fetched("/f.bin");
      assertThat(task.layout().pieceCount()).isEqualTo(PIECES);
      this.scheduler = new Scheduler(config, clock, SchedulerListener.NONE,
          (t, piece, reporter) -> cdn.store().checkClaim(t, piece, reporter));
    } catch (Exception | Error e) {
      cdn.close();
      throw e;
    }
  }

  /** A scheduler with the test defaults changed by {@code tune}. */
  static SchedulerHarness start(Path dir, UnaryOperator<SupernodeConfig> tune) throws Exception {
    return new SchedulerHarness(dir, tune);
  }

  static SchedulerHarness start(Path dir) throws Exception {
    return start(dir, c -> c);
  }

  /** Registers an uploading peer (on a port of its own) in the task. */
  RegisterResponse join(String peerId) {
    return join(peerId, nextPort++);
  }

  /** Registers a peer; port 0 means it does not upload. */
  RegisterResponse join(String peerId, int port) {
    return get(scheduler.register(task, new PeerAddress(peerId, "127.0.0.1", port)));
  }

  ScheduleResponse ask(String peerId, int want) {
    return report(peerId, List.of(), List.of(), want);
  }

  ScheduleResponse report(String peerId, List<PieceDone> done, List<PieceFailure> failed, int want) {
    return get(scheduler.schedule(task.id(), new ScheduleRequest(peerId, done, failed, want), CDN));
  }

  /** Reports {@code pieces} as fetched from the CDN, asking for nothing more. */
  ScheduleResponse hold(String peerId, int... pieces) {
    List<PieceDone> done = IntStream.of(pieces).mapToObj(p -> new PieceDone(p, ProtocolV1.CDN_SOURCE)).toList();
    return report(peerId, done, List.of(), 0);
  }

  ScheduleResponse holdAll(String peerId) {
    return hold(peerId, IntStream.range(0, PIECES).toArray());
  }

  /**
   * With one upload per peer: peers a (holding every piece), c and d join; c gets a's only slot, so
   * d's request is parked (the CDN is not spent on pieces a peer holds). Returns d's pending answer.
   */
  CompletableFuture<ScheduleResponse> takeTheOnlyUploadSlotOfA() {
    assertThat(config.maxUploadsPerPeer()).isEqualTo(1);
    join("a");
    join("c");
    join("d");
    holdAll("a");
    assertThat(primaries(ask("c", 1))).containsExactly("a");
    CompletableFuture<ScheduleResponse> d = askLater("d", 1);
    assertThat(d).as("d waits for a free source").isNotDone();
    return d;
  }

  /** Sends a request that may park; its answer is known once the scheduler processed it (tick). */
  CompletableFuture<ScheduleResponse> askLater(String peerId, int want) {
    CompletableFuture<ScheduleResponse> f =
        scheduler.schedule(task.id(), new ScheduleRequest(peerId, List.of(), List.of(), want), CDN);
    tick();
    return f;
  }

  /** Reports one failed fetch of {@code piece} from {@code source} and asks for {@code want} more. */
  ScheduleResponse fail(String peerId, int piece, String source, FailureReason reason, int want) {
    return report(peerId, List.of(), List.of(new PieceFailure(piece, source, reason, "test")), want);
  }

  /** The CDN the task is stored in. */
  io.damselfly.supernode.cdn.CdnStore store() {
    return cdn.store();
  }

  /** The origin the CDN fetched the task from. */
  io.damselfly.testing.OriginServer origin() {
    return cdn.origin();
  }

  TaskView view() {
    return get(scheduler.views(task.id())).get(0);
  }

  Optional<TaskView.PeerView> peer(String peerId) {
    return view().peers().stream().filter(p -> p.peerId().equals(peerId)).findFirst();
  }

  /** Runs expiry now, after every event submitted before. */
  void tick() {
    get(scheduler.tick());
  }

  /** The peer each assignment sends its fetch to first. */
  static List<String> primaries(ScheduleResponse r) {
    return r.assignments().stream().map(a -> a.sources().get(0).peerId()).toList();
  }

  static List<Integer> pieces(ScheduleResponse r) {
    return r.assignments().stream().map(Assignment::piece).toList();
  }

  static List<String> sourceIds(Assignment a) {
    return a.sources().stream().map(Source::peerId).toList();
  }

  /** Every assignment of {@code responses}, in order. */
  static List<Assignment> all(List<ScheduleResponse> responses) {
    List<Assignment> out = new ArrayList<>();
    responses.forEach(r -> out.addAll(r.assignments()));
    return out;
  }

  /** Asserts that {@code call} fails with an {@link ApiException} of {@code code}. */
  static void assertFailsWith(ErrorCode code, Runnable call) {
    assertThatThrownBy(call::run).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(code));
  }

  static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(TestCdn.GUARD.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the scheduler did not answer within " + TestCdn.GUARD
          + " (a request parked on the fake clock?)", e);
    }
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  @Override
  public void close() {
    scheduler.close();
    cdn.close();
  }
}
