package io.damselfly.transport;

import java.io.IOException;

/** Why a ranged GET failed, in a form callers map to their own failure codes. */
public final class RangeException extends IOException {
  /** What went wrong. */
  public enum Kind {
    /** The node could not be reached. */
    CONNECT,
    /** No whole answer within the deadline. */
    TIMEOUT,
    /** An answer other than 206 Partial Content. */
    STATUS,
    /** 503: the node serves as many uploads as it takes at once; another source, or this one later. */
    BUSY,
    /** Fewer bytes than asked for before the answer ended. */
    SHORT,
    /** More bytes than asked for. */
    LONG,
    /** The connection failed or the answer was not HTTP. */
    IO
  }

  private final Kind kind;

  public RangeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RangeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
