package io.damselfly.peer.store;

import io.damselfly.common.ClaimLimiter;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link ProtocolV1#PIECE_CHECK}: a peer says a piece it got from this host failed its digest. The
 * piece is hashed again ({@link HeldFile#recheck}); a damaged one is never served again. Rate limited like
 * the CDN's checks: one per piece per {@link #INTERVAL}, at most {@link #PER_REPORTER} per reporter then. A
 * piece that proves damaged makes the node hash the rest of the file once ({@link HeldFile#recheckAll}).
 */
public final class PieceCheckHandler implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(PieceCheckHandler.class);
  static final Duration INTERVAL = Duration.ofSeconds(10);
  static final int PER_REPORTER = 8;

  private final TaskFiles files;
  private final ClaimLimiter<String> limiter;

  private PieceCheckHandler(TaskFiles files, InstantSource clock) {
    this.files = files;
    this.limiter = new ClaimLimiter<>(clock, INTERVAL, PER_REPORTER);
  }

  /** Mounts the handler on {@code router}. */
  public static Router mount(Router router, TaskFiles files, InstantSource clock) {
    return router.post(ProtocolV1.PIECE_CHECK, new PieceCheckHandler(files, clock));
  }

  @Override
  public Response handle(Request request) throws Exception {
    TaskId taskId = TaskId.of(request.param("taskId"));
    int piece;
    try {
      piece = Integer.parseInt(request.param("piece"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("piece must be a number, got " + request.param("piece"));
    }
    HeldFile f = files.held(taskId)
        .orElseThrow(() -> new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + taskId + " here"));
    String reporter = request.headers().get(ProtocolV1.HEADER_PEER_ID);
    String verdict = limiter.claim(taskId.value() + "/" + piece, reporter,
        () -> CompletableFuture.completedFuture(f.recheck(piece)), "NOT_CHECKED").get();
    if (verdict.equals("DAMAGED")) {
      LOG.warn("piece {} of task {} is damaged on disk (reported by {}); no longer served; checking the others",
          piece, taskId, reporter);
      Thread.ofVirtual().name("recheck-" + taskId).start(() -> LOG.warn("task {}: {} pieces damaged on disk, none "
          + "offered any more", taskId, f.recheckAll()));
    }
    return Response.ok(Map.of("verdict", verdict));
  }
}
