package io.damselfly.cli;

import io.damselfly.protocol.DfgetExit;

/** A failure dfget reports as one {@code dfget: error: ...} line and ends with {@link #exit()}'s code. */
public final class CliException extends RuntimeException {
  private final DfgetExit exit;

  public CliException(DfgetExit exit, String message) {
    super(message);
    if (exit == null || exit == DfgetExit.OK) {
      throw new IllegalArgumentException("exit must be a failure code, got " + exit);
    }
    this.exit = exit;
  }

  /** A bad flag or value (exit 2). */
  public static CliException usage(String message) {
    return new CliException(DfgetExit.USAGE, message);
  }

  public DfgetExit exit() {
    return exit;
  }
}
