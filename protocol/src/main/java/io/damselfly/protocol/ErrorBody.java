package io.damselfly.protocol;

/**
 * The JSON body of every error answer.
 *
 * @param code one of {@link ErrorCode}
 * @param message a short reason for people
 * @param originStatus the origin's HTTP status for {@link ErrorCode#ORIGIN_ERROR}, else 0
 */
public record ErrorBody(String code, String message, int originStatus) {
  public static ErrorBody of(ErrorCode code, String message) {
    return new ErrorBody(code.name(), message, 0);
  }
}
