package io.damselfly.transport;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers: every failure is first seen as the protocol's
 * {@link ApiException} ({@link #toApi}), whose code gives the status and whose body is the answer.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  /** The response for a handler's failure: 4xx with a short reason, 500 only for bugs (logged). */
  public static Response toResponse(Throwable t) {
    return toResponse(toApi(t));
  }

  public static Response error(ErrorCode code, String message) {
    return toResponse(new ApiException(code, message));
  }

  private static Response toResponse(ApiException e) {
    return Response.json(HttpResponseStatus.valueOf(e.code().httpStatus()), e.body());
  }

  /**
   * A handler's failure as the protocol's error: an {@link ApiException} as it is, a record's validation
   * ({@link IllegalArgumentException}) a bad request, a timeout and a shutdown as such, anything else a bug.
   */
  static ApiException toApi(Throwable t) {
    Throwable e = unwrap(t);
    return switch (e) {
      case ApiException api -> api;
      case IllegalArgumentException bad -> new ApiException(ErrorCode.BAD_REQUEST, bad.getMessage());
      case TimeoutException timeout -> new ApiException(ErrorCode.TIMEOUT, "timed out");
      case CancellationException stop -> shuttingDown();
      case InterruptedException stop -> shuttingDown();
      default -> {
        LOG.error("unexpected failure while handling a request", e);
        yield new ApiException(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName());
      }
    };
  }

  private static ApiException shuttingDown() {
    return new ApiException(ErrorCode.UNAVAILABLE, "shutting down");
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
