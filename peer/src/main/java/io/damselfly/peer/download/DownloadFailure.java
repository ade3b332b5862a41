package io.damselfly.peer.download;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.ErrorCode;

/**
 * A download failed for a reason the user must see: one clear sentence and dfget's exit code. When a
 * supernode's error answer is the reason, the failure carries it ({@link #answer()}), rebuilt as the
 * {@link ApiException} the supernode threw, so callers decide on its {@link ErrorCode}, never on the text.
 */
public final class DownloadFailure extends RuntimeException {
  private final DfgetExit exit;
  private final ApiException answer;

  public DownloadFailure(DfgetExit exit, String message) {
    this(exit, message, null);
  }

  public DownloadFailure(DfgetExit exit, String message, Throwable cause) {
    super(message, cause);
    this.exit = exit;
    this.answer = cause instanceof ApiException api ? api : null;
  }

  /**
   * The user's failure for a supernode's error answer: the origin's errors, a digest mismatch and a bad
   * request keep their exit codes; any other code fails the download, naming the code.
   */
  public static DownloadFailure of(ApiException answer) {
    return switch (answer.code()) {
      case ORIGIN_ERROR -> new DownloadFailure(DfgetExit.ORIGIN_ERROR, answer.getMessage(), answer);
      case DIGEST_MISMATCH -> new DownloadFailure(DfgetExit.DIGEST_MISMATCH, answer.getMessage(), answer);
      case PIECE_UNAVAILABLE -> new DownloadFailure(DfgetExit.NO_VERIFIED_SOURCE, answer.getMessage(), answer);
      case BAD_REQUEST -> new DownloadFailure(DfgetExit.USAGE, answer.getMessage(), answer);
      default -> new DownloadFailure(DfgetExit.FAILED, answer.getMessage() + " (" + answer.code() + ")", answer);
    };
  }

  public DfgetExit exit() {
    return exit;
  }

  /** The supernode's error answer behind this failure, or null when the failure is this node's own. */
  public ApiException answer() {
    return answer;
  }

  /** True when a supernode answered with {@code code}. */
  public boolean answered(ErrorCode code) {
    return answer != null && answer.code() == code;
  }
}
