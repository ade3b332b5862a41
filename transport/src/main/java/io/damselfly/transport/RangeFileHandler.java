package io.damselfly.transport;

import io.damselfly.common.ByteRange;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Serves {@link ProtocolV1#FILE}: a byte range of a task's file, zero-copy, and only when the range
 * lies in verified pieces. The same handler runs on the supernode's piece port and on every peer's
 * upload port.
 */
public final class RangeFileHandler implements Handler {
  private final PieceFiles files;
  private final UploadSlots slots;

  public RangeFileHandler(PieceFiles files, UploadSlots slots) {
    this.files = files;
    this.slots = slots;
  }

  /** Mounts this handler on {@code router} at {@link ProtocolV1#FILE}, with no bound on uploads at once. */
  public static Router mount(Router router, PieceFiles files) {
    return mount(router, files, UploadSlots.UNBOUNDED);
  }

  /** Mounts this handler on {@code router} at {@link ProtocolV1#FILE}; past {@code slots} it answers BUSY. */
  public static Router mount(Router router, PieceFiles files, UploadSlots slots) {
    return router.get(ProtocolV1.FILE, new RangeFileHandler(files, slots));
  }

  @Override
  public Response handle(Request request) {
    TaskId taskId = TaskId.of(request.param("taskId"));
    PieceFiles.ServedFile file = files.lookup(taskId)
        .orElseThrow(() -> new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + taskId + " here"));
    String rangeHeader = request.headers().get(HttpHeaderNames.RANGE);
    long total = file.totalLength();
    ByteRange range;
    try {
      if (rangeHeader == null) {
        if (total < 0) {
          throw new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE, "file length not known yet: ask for a Range");
        }
        range = total == 0 ? null : new ByteRange(0, total);
      } else {
        range = RangeHeader.parse(rangeHeader, total);
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE, e.getMessage());
    }
    HttpHeaders headers = Response.protocolHeaders()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    if (range == null) {
      return new Response.FileRange(HttpResponseStatus.OK, headers, file.path(), 0, 0);
    }
    if (!file.holds(range.start(), range.length())) {
      throw new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE,
          "bytes " + range.start() + "-" + range.endInclusive() + " of " + taskId + " are not verified here");
    }
    if (!slots.tryTake()) {
      throw new ApiException(ErrorCode.BUSY, "serving " + slots.max() + " uploads already: ask another source");
    }
    file.served(request.headers().get(ProtocolV1.HEADER_PEER_ID), range.length());
    if (rangeHeader == null) {
      return new Response.FileRange(HttpResponseStatus.OK, headers, file.path(), 0, range.length(), slots::give);
    }
    headers.set(HttpHeaderNames.CONTENT_RANGE, range.toContentRange(total));
    return new Response.FileRange(HttpResponseStatus.PARTIAL_CONTENT, headers, file.path(), range.start(),
        range.length(), slots::give);
  }
}
