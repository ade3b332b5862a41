package io.damselfly.supernode.cdn;

import java.util.List;

/**
 * What the CDN records of a task on disk: in {@code task.json} when its fetch starts (no file digest, no
 * pieces: those are journaled one by one in {@code pieces}), and in {@code meta.json} once the file is
 * complete, with the size and modification time the data file had when its pieces were verified, so a
 * restart can trust an untouched file and re-verify any other.
 *
 * @param dataSize bytes of the data file when it was verified (meta.json), else 0
 * @param dataModifiedMillis the data file's modification time then, in epoch milliseconds, else 0
 */
record CdnMeta(
    String taskId,
    String key,
    String url,
    long contentLength,
    int pieceSize,
    String etag,
    String lastModified,
    String fileDigest,
    List<String> pieceDigests,
    long dataSize,
    long dataModifiedMillis) {

  CdnMeta {
    pieceDigests = pieceDigests == null ? List.of() : List.copyOf(pieceDigests);
  }

  /** The record written when a fetch starts: identity and validators only. */
  static CdnMeta head(CdnTask t) {
    return new CdnMeta(t.id().value(), t.key(), t.url(), t.layout().contentLength(), t.layout().pieceSize(),
        t.etag(), t.lastModified(), null, List.of(), 0, 0);
  }

  /** True when a resumed fetch can ask the origin for the rest of this very version (If-Range). */
  boolean resumable() {
    return etag != null || lastModified != null;
  }
}
