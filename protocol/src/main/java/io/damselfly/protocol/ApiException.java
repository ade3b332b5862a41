package io.damselfly.protocol;

/**
 * An error of the protocol: thrown by handlers to answer with an error (mapped to HTTP in one place, the
 * transport's {@code ErrorMapper}) and rebuilt by clients from the {@link ErrorBody} they were answered with
 * ({@link #of(ErrorBody)}), so both sides speak of the same {@link ErrorCode}, origin status and owner.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final int originStatus;
  private final String owner;

  public ApiException(ErrorCode code, String message) {
    this(code, message, 0, null);
  }

  public ApiException(ErrorCode code, String message, int originStatus, Throwable cause) {
    this(code, message, originStatus, null, cause);
  }

  private ApiException(ErrorCode code, String message, int originStatus, String owner, Throwable cause) {
    super(message, cause, false, false);
    if (code == null) {
      throw new IllegalArgumentException("code must be given");
    }
    this.code = code;
    this.originStatus = originStatus;
    this.owner = owner;
  }

  /** {@link ErrorCode#NOT_OWNER}: the supernode whose API is at {@code owner} (host:port) owns the task. */
  public static ApiException notOwner(String message, String owner) {
    return new ApiException(ErrorCode.NOT_OWNER, message, 0, owner, null);
  }

  /** The error a peer answered with, as the exception its handler threw. */
  public static ApiException of(ErrorBody body) {
    return new ApiException(body.code(), body.message(), body.originStatus(), body.owner(), null);
  }

  public ErrorCode code() {
    return code;
  }

  /** The origin's HTTP status for {@link ErrorCode#ORIGIN_ERROR}, else 0. */
  public int originStatus() {
    return originStatus;
  }

  /** For {@link ErrorCode#NOT_OWNER}: {@code host:port} of the owner's API, else null. */
  public String owner() {
    return owner;
  }

  public ErrorBody body() {
    return new ErrorBody(code, getMessage(), originStatus, owner);
  }
}
