package io.damselfly.peer.download;

import io.damselfly.protocol.DfgetExit;

/** A download failed for a reason the user must see: one clear sentence and dfget's exit code. */
public final class DownloadFailure extends RuntimeException {
  private final DfgetExit exit;

  public DownloadFailure(DfgetExit exit, String message) {
    super(message);
    this.exit = exit;
  }

  public DownloadFailure(DfgetExit exit, String message, Throwable cause) {
    super(message, cause);
    this.exit = exit;
  }

  public DfgetExit exit() {
    return exit;
  }
}
