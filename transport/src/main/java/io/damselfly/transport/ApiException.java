package io.damselfly.transport;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;

/** Thrown by handlers to answer with an error; mapped to HTTP in {@link ErrorMapper} only. */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final int originStatus;

  public ApiException(ErrorCode code, String message) {
    this(code, message, 0, null);
  }

  public ApiException(ErrorCode code, String message, int originStatus, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
    this.originStatus = originStatus;
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorBody body() {
    return new ErrorBody(code.name(), getMessage(), originStatus);
  }
}
