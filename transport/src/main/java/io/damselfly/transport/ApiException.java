package io.damselfly.transport;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;

/** Thrown by handlers to answer with an error; mapped to HTTP in {@link ErrorMapper} only. */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final int originStatus;
  private final String owner;

  public ApiException(ErrorCode code, String message) {
    this(code, message, 0, null);
  }

  public ApiException(ErrorCode code, String message, int originStatus, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
    this.originStatus = originStatus;
    this.owner = null;
  }

  private ApiException(String message, String owner) {
    super(message, null, false, false);
    this.code = ErrorCode.NOT_OWNER;
    this.originStatus = 0;
    this.owner = owner;
  }

  /** {@link ErrorCode#NOT_OWNER}: the supernode whose API is at {@code owner} (host:port) owns the task. */
  public static ApiException notOwner(String message, String owner) {
    return new ApiException(message, owner);
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorBody body() {
    return new ErrorBody(code.name(), getMessage(), originStatus, owner);
  }
}
