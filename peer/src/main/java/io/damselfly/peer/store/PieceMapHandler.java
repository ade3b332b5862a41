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
    return Response.ok(PieceMap.of(taskId.value(), f.pieceSize(), f.heldPieces()));
  }
}
