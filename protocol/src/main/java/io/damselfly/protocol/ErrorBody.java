package io.damselfly.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error answer.
 *
 * @param code one of {@link ErrorCode}; a code this version does not know, or none, reads as
 *     {@link ErrorCode#INTERNAL}
 * @param message a short reason for people
 * @param originStatus the origin's HTTP status for {@link ErrorCode#ORIGIN_ERROR}, else 0
 * @param owner for {@link ErrorCode#NOT_OWNER}: {@code host:port} of the API of the supernode that owns the
 *     task, else null (omitted on the wire; since 1.2)
 */
public record ErrorBody(ErrorCode code, String message, int originStatus,
    @JsonInclude(JsonInclude.Include.NON_NULL) String owner) {

  public ErrorBody {
    if (code == null) {
      code = ErrorCode.INTERNAL;
    }
  }

  /** An error that names no owner. */
  public ErrorBody(ErrorCode code, String message, int originStatus) {
    this(code, message, originStatus, null);
  }

  public static ErrorBody of(ErrorCode code, String message) {
    return new ErrorBody(code, message, 0);
  }
}
