package io.damselfly.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Error codes on the wire, each with the HTTP status it travels with. */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  TASK_NOT_FOUND(404),
  PEER_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  PAYLOAD_TOO_LARGE(413),
  RANGE_NOT_SATISFIABLE(416),
  /**
   * Another supernode of the cluster owns the task: ask {@link ErrorBody#owner} (host:port of its API)
   * instead (since 1.2).
   */
  NOT_OWNER(421),
  INTERNAL(500),
  /** The origin answered with an error status or broke off; {@link ErrorBody#originStatus} says which. */
  ORIGIN_ERROR(502),
  /** The origin's content does not match the digest the user expected ({@code --md5}, {@code --digest}). */
  DIGEST_MISMATCH(502),
  /**
   * No source holds a verified copy of a piece the peer needs: the CDN's copy was found damaged and could
   * not be fetched again from the origin, and no peer holds it (since 1.3).
   */
  PIECE_UNAVAILABLE(502),
  UNAVAILABLE(503),
  /**
   * A peer already serves as many piece uploads as it takes at once: not a fault of the peer, the piece is to be
   * asked of another source, or of this one a little later (since 1.7).
   */
  BUSY(503),
  TIMEOUT(504),
  INSUFFICIENT_STORAGE(507);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The code named {@code name} on the wire; a code this version does not know (a newer peer's), or none,
   * reads as {@link #INTERNAL}, so its message still reaches the user.
   */
  @JsonCreator
  public static ErrorCode fromWire(String name) {
    if (name != null) {
      for (ErrorCode c : values()) {
        if (c.name().equals(name)) {
          return c;
        }
      }
    }
    return INTERNAL;
  }
}
