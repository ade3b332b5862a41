package io.damselfly.protocol;

/**
 * One line of a download's progress stream.
 *
 * @param type {@code progress}, {@code done} or {@code error}
 * @param taskId the task, once registered (null before, and for pattern source)
 * @param totalBytes file length, -1 while unknown
 * @param doneBytes verified bytes written so far
 * @param fromPeers verified bytes received from other peers
 * @param fromCdn verified bytes received from the supernode
 * @param fromSource bytes received straight from the origin (pattern source, back-to-source)
 * @param elapsedMillis since the node accepted the download
 * @param message for {@code error}: one clear sentence; for {@code done}: the summary
 * @param exitCode for {@code error}: the dfget exit code to use (see docs/CLI.md)
 */
public record ProgressEvent(
    String type,
    String taskId,
    long totalBytes,
    long doneBytes,
    long fromPeers,
    long fromCdn,
    long fromSource,
    long elapsedMillis,
    String message,
    int exitCode) {
  public static final String PROGRESS = "progress";
  public static final String DONE = "done";
  public static final String ERROR = "error";
}
