package io.damselfly.peer.download.session;

import io.damselfly.common.TaskId;
import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.peer.download.Progress;
import io.damselfly.peer.download.pieces.PieceFetcher;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download's piece fetches, each on its own (virtual) thread: an assignment's sources are tried in
 * order, the piece lands in a reused buffer and is verified there ({@link PieceFetcher}), written at its
 * offset, and only then marked held. Safe for concurrent fetches.
 */
final class PieceWork {
  private static final Logger LOG = LoggerFactory.getLogger(PieceWork.class);

  /**
   * A fetch's result; {@code neighbor} is set for fetches planned from a neighbor's piece map, {@code busy} when a
   * source answered BUSY and the piece was not had (busy answers are no failures: they are never reported).
   */
  record Outcome(int piece, PieceDone done, List<PieceFailure> failures, String neighbor, boolean busy) {}

  /**
   * A supernode's assignment whose peer sources answered BUSY asks them again after this (times the round, up to
   * five times); the CDN, the assignment's last source, is kept for the pieces no peer can give: a busy peer is
   * waited for, not replaced by the CDN, whose link carries the pieces nobody holds yet...
   */
  static final long BUSY_RETRY_MILLIS = 100;
  /** ...until this much time has passed; then the CDN is asked, or, without it, the piece reported as timed out. */
  static final long BUSY_GIVE_UP_MILLIS = 2000;

  private final java.time.InstantSource clock;
  private final TaskId task;
  private final PieceFetcher fetcher;
  private final HeldFile held;
  private final FileChannel out;
  private final Progress progress;
  private final Throttles.Gate gate;
  private final Semaphore memory;
  private final boolean cdnOnly;
  private final int keep;
  /**
   * Piece buffers of ended fetches, reused by the next ones (at most {@code keep} kept): a fresh
   * piece-sized array per piece is a humongous allocation for G1 at the usual heap sizes.
   */
  private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
  /** Sources that sent a piece failing its digest: proven bad, never fetched from again in this download. */
  private final Set<String> liars = ConcurrentHashMap.newKeySet();

  /** @param clock what the wait for busy sources ({@link #BUSY_GIVE_UP_MILLIS}) is measured by */
  PieceWork(TaskId task, PieceFetcher fetcher, HeldFile held, FileChannel out, Progress progress, Throttles.Gate gate,
      Semaphore memory, boolean cdnOnly, int keep, java.time.InstantSource clock) {
    this.clock = clock;
    this.task = task;
    this.fetcher = fetcher;
    this.held = held;
    this.out = out;
    this.progress = progress;
    this.gate = gate;
    this.memory = memory;
    this.cdnOnly = cdnOnly;
    this.keep = keep;
  }

  Outcome fetch(Assignment a, String neighbor) {
    List<PieceFailure> failures = new ArrayList<>();
    List<Source> busy = new ArrayList<>();
    try {
      memory.acquire(a.length());
      byte[] buffer = buffer(a.length());
      try {
        long started = clock.millis();
        List<Source> order = a.sources();
        boolean givingUp = false;
        for (int round = 1; ; round++) {
          Source deferredCdn = null;
          for (Source s : order) {
            if ((cdnOnly && !s.isCdn()) || liars.contains(s.peerId())) {
              continue;
            }
            if (s.isCdn() && !busy.isEmpty() && !givingUp && !cdnOnly) {
              deferredCdn = s; // a peer of this piece is only busy: wait for it rather than load the CDN
              continue;
            }
            try {
              fetcher.fetch(task, a, s, buffer, gate);
              write(buffer, a);
              held.markHeld(a.piece(), a.digest());
              (s.isCdn() ? progress.fromCdn : progress.fromPeers).addAndGet(a.length());
              return new Outcome(a.piece(), new PieceDone(a.piece(), s.peerId()), failures, neighbor, false);
            } catch (PieceFetcher.Failed f) {
              if (f.busy) {
                busy.add(s);
                continue;
              }
              if (f.reason == FailureReason.DIGEST_MISMATCH && !s.isCdn()) {
                liars.add(s.peerId());
              }
              LOG.info("piece {} of {} from {} failed: {} {}", a.piece(), task, s.peerId(), f.reason, f.getMessage());
              failures.add(new PieceFailure(a.piece(), s.peerId(), f.reason, f.getMessage()));
            }
          }
          // a neighbor's piece is planned again by the session, from whichever neighbor is free then
          if (busy.isEmpty() || neighbor != null || givingUp) {
            break;
          }
          List<Source> next = new ArrayList<>(busy);
          if (deferredCdn != null) {
            next.add(deferredCdn);
          }
          if (clock.millis() - started > BUSY_GIVE_UP_MILLIS) {
            if (deferredCdn == null) {
              failures.add(new PieceFailure(a.piece(), busy.get(0).peerId(), FailureReason.TIMEOUT,
                  "busy for " + BUSY_GIVE_UP_MILLIS + " ms"));
              break;
            }
            givingUp = true;
            next = List.of(deferredCdn);
          } else {
            Thread.sleep(BUSY_RETRY_MILLIS * Math.min(round, 5));
          }
          order = next;
          busy = new ArrayList<>();
        }
      } finally {
        memory.release(a.length());
        if (buffers.size() < keep) {
          buffers.offer(buffer);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "cannot write " + held.path() + ": " + e.getMessage(), e);
    }
    return new Outcome(a.piece(), null, failures, neighbor, !busy.isEmpty());
  }

  /** A reused buffer of at least {@code length} bytes, or a new one of a whole piece. */
  private byte[] buffer(int length) {
    byte[] b = buffers.poll();
    return b != null && b.length >= length ? b : new byte[Math.max(length, held.pieceSize())];
  }

  private void write(byte[] buffer, Assignment a) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, a.length());
    long at = a.offset();
    while (b.hasRemaining()) {
      at += out.write(b, at);
    }
  }
}
