package io.damselfly.peer.store;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.transport.PieceFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One task's file on this host and the pieces of it that are verified. While downloading, the file is
 * the temporary file next to the output; once complete, a link to it in the node's data directory.
 * Only verified pieces are ever served.
 */
public final class HeldFile implements PieceFiles.ServedFile {
  private final TaskId taskId;
  private final int pieceSize;
  private final BitSet held = new BitSet();
  /** Pieces in {@code held}; written under its monitor, which is notified on every change. */
  private volatile int heldCount;
  private final AtomicLong uploaded = new AtomicLong();
  private volatile Path path;
  private volatile long totalLength;
  private volatile boolean complete;
  private volatile Digest sha256;
  private final InstantSource clock;
  private volatile Instant lastUsed;

  HeldFile(TaskId taskId, Path path, int pieceSize, long totalLength, InstantSource clock) {
    this.clock = clock;
    this.taskId = taskId;
    this.path = path;
    this.pieceSize = pieceSize;
    this.totalLength = totalLength;
    this.lastUsed = clock.instant();
  }

  public TaskId taskId() {
    return taskId;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public long totalLength() {
    return totalLength;
  }

  public boolean complete() {
    return complete;
  }

  /** The SHA-256 the whole file had when it was verified; null until complete. */
  public Digest sha256() {
    return sha256;
  }

  public int pieceSize() {
    return pieceSize;
  }

  /** The verified pieces, as a copy. */
  public BitSet heldPieces() {
    if (complete) {
      BitSet all = new BitSet();
      long total = totalLength;
      all.set(0, (int) ((total + pieceSize - 1) / pieceSize));
      return all;
    }
    synchronized (held) {
      return (BitSet) held.clone();
    }
  }

  /** How many pieces are verified (every piece once complete); no copy of the map. */
  public int heldCount() {
    if (complete) {
      long total = totalLength;
      return (int) ((total + pieceSize - 1) / pieceSize);
    }
    return heldCount;
  }

  /**
   * Waits until more than {@code seen} pieces are held or the file is complete, at most {@code maxMillis};
   * returns the count then. A change wakes every waiter at once (piece-map watches, streaming readers).
   */
  public int awaitMore(int seen, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxMillis);
    synchronized (held) {
      while (!complete && heldCount <= seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(held, left);
      }
    }
    return heldCount();
  }

  public long uploadedBytes() {
    return uploaded.get();
  }

  Instant lastUsed() {
    return lastUsed;
  }

  public void setTotalLength(long length) {
    this.totalLength = length;
  }

  /** Marks {@code piece} verified and written: from now on it may be served. */
  public void markHeld(int piece) {
    synchronized (held) {
      if (!held.get(piece)) {
        held.set(piece);
        heldCount++;
        held.notifyAll();
      }
    }
  }

  /** The whole file is verified, has {@code sha256} and now lives at {@code finalPath}. */
  void completeAt(Path finalPath, long length, Digest sha256) {
    this.path = finalPath;
    this.totalLength = length;
    this.sha256 = sha256;
    this.complete = true;
    this.lastUsed = clock.instant();
    synchronized (held) {
      held.notifyAll();
    }
  }

  @Override
  public boolean holds(long start, long length) {
    if (length <= 0 || start < 0) {
      return false;
    }
    long total = totalLength;
    if (complete) {
      return start + length <= total;
    }
    if (total >= 0 && start + length > total) {
      return false;
    }
    int first = (int) (start / pieceSize);
    int last = (int) ((start + length - 1) / pieceSize);
    synchronized (held) {
      int clear = held.nextClearBit(first);
      return clear > last;
    }
  }

  @Override
  public void served(String requesterPeerId, long bytes) {
    uploaded.addAndGet(bytes);
    lastUsed = clock.instant();
  }

  void touch() {
    lastUsed = clock.instant();
  }
}
