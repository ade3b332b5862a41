package io.damselfly.transport;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become HTTP answers. */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  /** The response for a handler's failure: 4xx with a short reason, 500 only for bugs (logged). */
  public static Response toResponse(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof ApiException api) {
      return Response.json(HttpResponseStatus.valueOf(api.code().httpStatus()), api.body());
    }
    if (e instanceof IllegalArgumentException) {
      return error(ErrorCode.BAD_REQUEST, e.getMessage());
    }
    if (e instanceof TimeoutException) {
      return error(ErrorCode.TIMEOUT, "timed out");
    }
    if (e instanceof CancellationException || e instanceof InterruptedException) {
      return error(ErrorCode.UNAVAILABLE, "shutting down");
    }
    LOG.error("unexpected failure while handling a request", e);
    return error(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName());
  }

  public static Response error(ErrorCode code, String message) {
    return Response.json(HttpResponseStatus.valueOf(code.httpStatus()), ErrorBody.of(code, message));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
