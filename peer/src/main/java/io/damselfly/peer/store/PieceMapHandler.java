package io.damselfly.peer.store;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;

/** Answers {@link ProtocolV1#PIECE_MAP}: which pieces of a task this host holds verified. */
public final class PieceMapHandler implements Handler {
  private final TaskFiles files;

  private PieceMapHandler(TaskFiles files) {
    this.files = files;
  }

  /** Mounts the handler on {@code router}. */
  public static Router mount(Router router, TaskFiles files) {
    return router.get(ProtocolV1.PIECE_MAP, new PieceMapHandler(files));
  }

  @Override
  public Response handle(Request request) {
    TaskId taskId = TaskId.of(request.param("taskId"));
    HeldFile f = files.held(taskId)
        .orElseThrow(() -> new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + taskId + " here"));
    int since = number(request, ProtocolV1.QUERY_SINCE);
    long wait = Math.min(number(request, ProtocolV1.QUERY_WAIT), ProtocolV1.MAX_MAP_WAIT_MILLIS);
    if (since >= 0 && wait > 0) {
      try {
        f.awaitMore(since, wait); // a watch: answered when this host holds more than the asker saw
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Response.ok(PieceMap.of(taskId.value(), f.pieceSize(), f.heldPieces()));
  }

  /** A non-negative integer query parameter, -1 when absent. */
  private static int number(Request request, String name) {
    String v = request.queryParam(name);
    if (v == null || v.isEmpty()) {
      return -1;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(name + " must be an integer >= 0, got '" + v + "'");
  }
}
