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
  private final String etag;
  private final String lastModified;
  /** Stored pieces found damaged: never served until repaired (bits set), see {@link PieceRepair}. */
  private final java.util.BitSet withheld = new java.util.BitSet();
  /** Of those, pieces whose repair failed (the origin could not give the same bytes again). */
  private final java.util.BitSet lost = new java.util.BitSet();
  private final AtomicLong repairs = new AtomicLong();
  /** The last registration's request: its URL and headers are what a repair asks the origin with. */
  private volatile io.damselfly.protocol.RegisterRequest request;

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
  /** FAILED or EVICTED: nothing of this version is served; a new registration fetches the file again. */
  public boolean gone() {
    TaskStatus s = status;
    return s == TaskStatus.FAILED || s == TaskStatus.EVICTED;
  }

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

  /** The request of the last registration for this task (null after a restart until one comes). */
  io.damselfly.protocol.RegisterRequest request() { return request; }
  void requested(io.damselfly.protocol.RegisterRequest r) { request = r; }

  /** True when stored bytes {@code [start, start + length)} may be served: stored and none withheld. */
  public synchronized boolean servable(long start, long length) {
    if (start < 0 || length < 0 || start + length > storedBytes) {
      return false;
    }
    if (withheld.isEmpty() || length == 0) {
      return true;
    }
    int size = layout.pieceSize();
    int first = (int) (start / size);
    int last = (int) ((start + length - 1) / size);
    int next = withheld.nextSetBit(first);
    return next < 0 || next > last;
  }

  /** True when the CDN's copy of {@code piece} is known damaged (being repaired, or lost). */
  public synchronized boolean withheld(int piece) {
    return withheld.get(piece);
  }

  /** True when {@code piece} is damaged and its repair failed: only peers holding it can serve it. */
  public synchronized boolean lost(int piece) {
    return lost.get(piece);
  }

  /** Pieces whose repair failed: only peers holding them can serve them; retried on the next registration. */
  public synchronized java.util.BitSet lostPieces() {
    return (java.util.BitSet) lost.clone();
  }

  synchronized void withhold(int piece) {
    withheld.set(piece);
    lost.clear(piece);
  }

  synchronized void repaired(int piece) {
    withheld.clear(piece);
    lost.clear(piece);
    repairs.incrementAndGet();
  }

  synchronized void repairFailed(int piece) {
    lost.set(piece);
  }

  /** Damaged pieces this task's CDN copy had repaired since start. */
  public long repairs() { return repairs.get(); }

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

  /**
   * The CDN removed this task's files (to make room, or on an admin's request): SUCCESS | FAILED → EVICTED.
   * A failed task keeps its error.
   */
  void evict() {
    if (status == TaskStatus.RUNNING) {
      throw new IllegalStateException("task " + id + " cannot move from RUNNING to EVICTED: its fetch goes on");
    }
    status = TaskStatus.EVICTED;
  }

  /** Task status is a state machine: RUNNING → SUCCESS | FAILED → EVICTED, nothing else. */
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
