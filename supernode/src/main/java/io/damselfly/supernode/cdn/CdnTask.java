package io.damselfly.supernode.cdn;

import io.damselfly.common.PieceLayout;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.TaskStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One content version in the CDN. Written by its fetcher thread only; read by the scheduler and the
 * piece server. Pieces are stored in order, so the stored bytes are always a prefix of the file.
 */
public final class CdnTask {
  private final TaskId id;
  private final String key;
  private final String url;
  private final Path dir;
  private final List<String> digests = new ArrayList<>();
  private final AtomicLong originBytes = new AtomicLong();
  private final AtomicLong cdnBytes = new AtomicLong();
  private volatile PieceLayout layout;
  private volatile long storedBytes;
  private volatile TaskStatus status = TaskStatus.RUNNING;
  private volatile String fileDigest;
  private volatile ErrorBody error;
  private volatile Instant validatedAt;
  private volatile Instant lastUsed;
  private volatile boolean evicted;
  private final String etag;
  private final String lastModified;

  CdnTask(TaskId id, String key, String url, Path dir, PieceLayout layout, String etag, String lastModified, Instant now) {
    this.id = id;
    this.key = key;
    this.url = url;
    this.dir = dir;
    this.layout = layout;
    this.etag = etag;
    this.lastModified = lastModified;
    this.validatedAt = now;
    this.lastUsed = now;
  }

  /** A task whose file is complete on disk (restored after a restart). */
  static CdnTask complete(CdnMeta meta, Path dir, Instant now) {
    CdnTask t = restored(meta, meta.pieceDigests(), meta.contentLength(), dir, now);
    t.fileDigest = meta.fileDigest();
    t.status = TaskStatus.SUCCESS;
    return t;
  }

  /** A task of which a verified prefix is on disk (restored after a restart); its fetch resumes from there. */
  static CdnTask restored(CdnMeta meta, List<String> digests, long storedBytes, Path dir, Instant now) {
    CdnTask t = new CdnTask(TaskId.of(meta.taskId()), meta.key(), meta.url(), dir,
        new PieceLayout(meta.contentLength(), meta.pieceSize()), meta.etag(), meta.lastModified(), now);
    t.digests.addAll(digests);
    t.storedBytes = storedBytes;
    return t;
  }

  public TaskId id() { return id; }
  public String key() { return key; }
  public String url() { return url; }
  public Path dataFile() { return dir.resolve("data"); }
  Path dir() { return dir; }
  public PieceLayout layout() { return layout; }
  public TaskStatus status() { return status; }
  public String fileDigest() { return fileDigest; }
  public ErrorBody error() { return error; }
  public long storedBytes() { return storedBytes; }
  public long originBytes() { return originBytes.get(); }
  public long cdnBytes() { return cdnBytes.get(); }
  public String etag() { return etag; }
  public String lastModified() { return lastModified; }
  Instant validatedAt() { return validatedAt; }
  void validated(Instant now) { validatedAt = now; touch(now); }
  /** When a peer last registered for or fetched from this task: the CDN evicts the least recently used. */
  Instant lastUsed() { return lastUsed; }
  void touch(Instant now) { lastUsed = now; }
  /** True once the CDN removed this task's files to make room; a new registration fetches it again. */
  public boolean evicted() { return evicted; }
  void evict() { evicted = true; }

  /** Pieces stored so far (a prefix: pieces 0 .. n-1). */
  public synchronized int storedPieces() {
    return digests.size();
  }

  /** The digest of a stored piece, or null when it is not stored yet. */
  public synchronized String digest(int piece) {
    return piece >= 0 && piece < digests.size() ? digests.get(piece) : null;
  }

  synchronized List<String> digests() {
    return List.copyOf(digests);
  }

  /** The digests of the pieces stored so far, in order. */
  public List<String> storedDigests() {
    return digests();
  }

  void countOrigin(long n) { originBytes.addAndGet(n); }

  public void countServed(long n) { cdnBytes.addAndGet(n); }

  synchronized void pieceStored(String digest, long endOffset) {
    digests.add(digest);
    storedBytes = endOffset;
  }

  void finish(long length, String sha256) {
    requireRunning(TaskStatus.SUCCESS);
    if (!layout.lengthKnown()) {
      layout = layout.withLength(length);
    }
    fileDigest = sha256;
    status = TaskStatus.SUCCESS;
  }

  /** Task status is a state machine: RUNNING → SUCCESS | FAILED, nothing else. */
  private void requireRunning(TaskStatus next) {
    if (status != TaskStatus.RUNNING) {
      throw new IllegalStateException("task " + id + " cannot move from " + status + " to " + next);
    }
  }

  void fail(ErrorBody why) {
    requireRunning(TaskStatus.FAILED);
    error = why;
    status = TaskStatus.FAILED;
  }
}
