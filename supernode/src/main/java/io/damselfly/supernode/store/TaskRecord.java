package io.damselfly.supernode.store;

import io.damselfly.protocol.TaskStatus;
import java.util.List;

/**
 * What the cluster knows of one task key's current content version, so any supernode can continue it: the
 * same task id, layout and piece digests as the supernode that fetched it.
 *
 * @param key the task key (first part of the task id)
 * @param taskId the content version being served
 * @param url normalised origin URL
 * @param contentLength -1 while unknown
 * @param pieceSize bytes per piece
 * @param etag origin validator, may be null
 * @param lastModified origin validator, may be null
 * @param status of the content version
 * @param fileDigest whole-file SHA-256 once complete, else null
 * @param digests SHA-256 of pieces 0 .. n-1 stored so far
 * @param owner id of the member that fetched it
 * @param updatedMillis when this record was written
 */
public record TaskRecord(String key, String taskId, String url, long contentLength, int pieceSize, String etag,
    String lastModified, TaskStatus status, String fileDigest, List<String> digests, String owner, long updatedMillis) {
  public TaskRecord {
    Member.requireText("key", key);
    Member.requireText("taskId", taskId);
    if (status == null) {
      throw new IllegalArgumentException("status must be given");
    }
    if (pieceSize < 1) {
      throw new IllegalArgumentException("pieceSize must be >= 1, got " + pieceSize);
    }
    digests = digests == null ? List.of() : List.copyOf(digests);
  }
}
