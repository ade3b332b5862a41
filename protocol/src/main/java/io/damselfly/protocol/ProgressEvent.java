package io.damselfly.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
    Type type,
    String taskId,
    long totalBytes,
    long doneBytes,
    long fromPeers,
    long fromCdn,
    long fromSource,
    long elapsedMillis,
    String message,
    int exitCode) {
  public ProgressEvent {
    if (type == null) {
      throw new IllegalArgumentException("type must be given");
    }
  }

  /** What a line says; on the wire in lower case. A stream ends with exactly one {@code DONE} or {@code ERROR}. */
  public enum Type {
    /** The download goes on; the counts so far. */
    PROGRESS,
    /** The file is at its output, verified. */
    DONE,
    /** The download failed; nothing is at the output. */
    ERROR;

    @JsonValue
    public String wire() {
      return WireNames.of(this);
    }

    @JsonCreator
    public static Type of(String name) {
      return WireNames.parse(values(), "type", name);
    }
  }

  /** True for the stream's last line ({@code done} or {@code error}). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean last() {
    return type != Type.PROGRESS;
  }
}
