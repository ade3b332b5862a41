package io.damselfly.supernode.api;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.Source;
import io.damselfly.protocol.TaskIdentity;
import io.damselfly.supernode.cdn.CdnStore;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.Scheduler;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The supernode's peer API (port 8002): thin handlers that read the request (its record validates itself),
 * then hand off to CDN and scheduler.
 */
public final class ApiRoutes {
  private final CdnStore cdn;
  private final Scheduler scheduler;
  private final String advertiseHost;
  private final Duration answerTimeout;
  private final java.util.function.IntSupplier piecePort;
  private final AdminGuard admin;

  /** Routes whose admin operations answer loopback callers only. */
  public ApiRoutes(CdnStore cdn, Scheduler scheduler, String advertiseHost, Duration longPoll,
      java.util.function.IntSupplier piecePort) {
    this(cdn, scheduler, advertiseHost, longPoll, piecePort, new AdminGuard(null));
  }

  /** Routes whose admin operations ({@code DELETE} of a task) {@code admin} guards. */
  public ApiRoutes(CdnStore cdn, Scheduler scheduler, String advertiseHost, Duration longPoll,
      java.util.function.IntSupplier piecePort, AdminGuard admin) {
    this.admin = admin;
    this.cdn = cdn;
    this.scheduler = scheduler;
    this.advertiseHost = advertiseHost;
    this.answerTimeout = longPoll.plusSeconds(10);
    this.piecePort = piecePort;
  }

  public Router router() {
    return new Router()
        .get(ProtocolV1.PING, r -> Response.text(HttpResponseStatus.OK, "OK"))
        .post(ProtocolV1.REGISTER, this::register)
        .post(ProtocolV1.SCHEDULE, this::schedule)
        .delete(ProtocolV1.PEER, r -> {
          await(scheduler.leave(TaskId.of(r.param("taskId")), r.param("peerId")));
          return Response.empty(HttpResponseStatus.NO_CONTENT);
        })
        .get(ProtocolV1.PIECE_DIGESTS, r -> Response.ok(await(scheduler.pieceDigests(TaskId.of(r.param("taskId")),
            from(r.queryParam(ProtocolV1.QUERY_FROM))))))
        .get(ProtocolV1.TASK, r -> Response.ok(await(scheduler.views(TaskId.of(r.param("taskId")))).get(0)))
        .delete(ProtocolV1.TASK, admin.protect(this::deleteTask))
        .get(ProtocolV1.TASKS, r -> Response.ok(await(scheduler.views(null))));
  }

  /** The {@code from} index of a digest list; 0 when absent. */
  private static int from(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      int from = Integer.parseInt(value);
      if (from >= 0) {
        return from;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(ProtocolV1.QUERY_FROM + " must be a piece index >= 0, got '" + value + "'");
  }

  /** Forgets a task in the scheduler and removes its CDN files (admin). */
  private Response deleteTask(Request r) throws Exception {
    TaskId id = TaskId.of(r.param("taskId"));
    boolean stored = cdn.remove(id);
    boolean scheduled = await(scheduler.forget(id));
    if (!stored && !scheduled) {
      throw new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + id);
    }
    return Response.empty(HttpResponseStatus.NO_CONTENT);
  }

  private Response register(Request r) throws Exception {
    RegisterRequest req = r.json(RegisterRequest.class);
    CdnTask task = cdn.resolve(req);
    return Response.ok(await(scheduler.register(task, req.peer())));
  }

  private Response schedule(Request r) throws Exception {
    TaskId id = TaskId.of(r.param("taskId"));
    ScheduleRequest req = r.json(ScheduleRequest.class);
    String host = advertiseHost != null ? advertiseHost : r.local().getAddress().getHostAddress();
    Source source = new Source(ProtocolV1.CDN_SOURCE, host, piecePort.getAsInt());
    return Response.ok(await(scheduler.schedule(id, req, source)));
  }

  private <T> T await(CompletableFuture<T> f) throws Exception {
    return await(f, answerTimeout);
  }

  /** The scheduler's answer, its exception unwrapped; 503 when it does not come within {@code timeout}. */
  public static <T> T await(CompletableFuture<T> f, Duration timeout) throws Exception {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    } catch (TimeoutException e) {
      throw new ApiException(ErrorCode.UNAVAILABLE, "the scheduler is overloaded; try again");
    }
  }
}
