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
  /** Pieces found damaged on disk after they were verified: never served again. Under {@code held}'s monitor. */
  private final BitSet damaged = new BitSet();
  /** The digest each held piece was verified with, by piece; under {@code held}'s monitor. */
  private final java.util.Map<Integer, String> digests = new java.util.HashMap<>();
  /** True once {@link #recheckAll} ran; under {@code held}'s monitor. */
  private boolean scanned;
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
    synchronized (held) {
      BitSet out;
      if (complete) {
        out = new BitSet();
        long total = totalLength;
        out.set(0, (int) ((total + pieceSize - 1) / pieceSize));
      } else {
        out = (BitSet) held.clone();
      }
      out.andNot(damaged);
      return out;
    }
  }

  /** How many pieces are verified (every piece once complete); no copy of the map. */
  public int heldCount() {
    if (complete) {
      long total = totalLength;
      synchronized (held) {
        return (int) ((total + pieceSize - 1) / pieceSize) - damaged.cardinality();
      }
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
    markHeld(piece, null);
  }

  /**
   * Marks {@code piece} verified with {@code digest} ({@code sha256:HEX}, or null when unknown) and written:
   * from now on it may be served, and a claim that it is damaged can be checked against the digest.
   */
  public void markHeld(int piece, String digest) {
    synchronized (held) {
      if (digest != null) {
        digests.put(piece, digest);
      }
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
    if (total >= 0 && start + length > total) {
      return false;
    }
    int first = (int) (start / pieceSize);
    int last = (int) ((start + length - 1) / pieceSize);
    synchronized (held) {
      int bad = damaged.isEmpty() ? -1 : damaged.nextSetBit(first);
      if (bad >= 0 && bad <= last) {
        return false;
      }
      return complete || held.nextClearBit(first) > last;
    }
  }

  /**
   * Hashes {@code piece} on disk again against the digest it was verified with (a peer claimed it failed);
   * a damaged piece is never served again. Returns {@code DAMAGED}, {@code INTACT}, or {@code NOT_CHECKED}
   * when this file does not hold the piece or its digest is unknown.
   */
  public String recheck(int piece) {
    String expected;
    synchronized (held) {
      if (damaged.get(piece)) {
        return "DAMAGED";
      }
      expected = digests.get(piece);
    }
    long total = totalLength;
    long start = (long) piece * pieceSize;
    if (expected == null || piece < 0 || total < 0 || start >= total) {
      return "NOT_CHECKED";
    }
    int length = (int) Math.min(pieceSize, total - start);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
      while (b.hasRemaining() && ch.read(b, start + b.position()) > 0) {
        // until the piece is in or the file ends
      }
    } catch (java.io.IOException e) {
      b.limit(b.position()); // unreadable: damaged
    }
    if (!b.hasRemaining() && Digest.of(Digest.Algorithm.SHA256, b.array(), 0, length).toString().equals(expected)) {
      return "INTACT";
    }
    synchronized (held) {
      damaged.set(piece);
    }
    return "DAMAGED";
  }

  /**
   * After a piece proved damaged, hashes every other piece with a known digest once (a disk that damaged one
   * piece may have damaged more), so none of them is offered again; later calls do nothing. Returns the pieces
   * found damaged in all.
   */
  public int recheckAll() {
    synchronized (held) {
      if (scanned) {
        return damaged.cardinality();
      }
      scanned = true;
    }
    java.util.List<Integer> pieces;
    synchronized (held) {
      pieces = java.util.List.copyOf(digests.keySet());
    }
    for (int p : pieces) {
      recheck(p);
    }
    synchronized (held) {
      return damaged.cardinality();
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
