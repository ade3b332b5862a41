package io.damselfly.peer.download.session;

import io.damselfly.common.TaskId;
import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.peer.download.Progress;
import io.damselfly.peer.download.output.PrefixDigest;
import io.damselfly.peer.download.pieces.PieceFetcher;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PieceDigests;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The piece loop of one download. Free fetch slots are filled first from neighbors (peers the
 * supernode named, asked directly which pieces they hold), then by the supernode's batched
 * assignments (which also name the CDN). Each piece is verified in memory, written at its offset
 * and offered to other peers. Outcomes are reported to the supernode in batches, so the supernode
 * is asked once per batch or second, not once per piece.
 */
public final class P2pSession {
  private static final Logger LOG = LoggerFactory.getLogger(P2pSession.class);
  /** Report source for a piece this peer already held when a new supernode assigned it. */
  static final String SELF = "self";
  /** Reports sent at the latest when this many are pending. */
  private static final int REPORT_BATCH = 16;
  private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long DIGESTS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final int MAX_REJOINS = 3;

  /** A fetch's result; {@code neighbor} is set for fetches planned from a neighbor's piece map. */
  private record Outcome(int piece, PieceDone done, List<PieceFailure> failures, String neighbor) {}

  /** How the session reaches a supernode again after losing one. */
  @FunctionalInterface
  public interface Reconnect {
    void reconnect() throws SupernodeClient.Unreachable, InterruptedException;
  }

  private final SupernodeClient client;
  private final Reconnect reconnect;
  private final TaskId task;
  private final String peerId;
  private final PieceFetcher fetcher;
  private final Neighbors neighbors;
  private final HeldFile held;
  private final FileChannel out;
  private final Progress progress;
  private final Throttles.Gate gate;
  private final int parallelism;
  private final Semaphore memory;
  private final boolean cdnOnly;
  private final PrefixDigest prefix;
  private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  /**
   * Piece buffers of ended fetches, reused by the next ones (at most {@code parallelism} kept): a fresh
   * piece-sized array per piece is a humongous allocation for G1 at the usual heap sizes.
   */
  private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
  private final Set<Integer> fetching = new HashSet<>();
  /** Sources that sent a piece failing its digest: proven bad, never fetched from again in this download. */
  private final Set<String> liars = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final DigestFailures digestFailures = new DigestFailures();
  private final List<String> digests = new ArrayList<>();
  private final List<PieceDone> done = new ArrayList<>();
  private final List<PieceFailure> failed = new ArrayList<>();
  private volatile RuntimeException fatal;
  private long lastAsk = System.nanoTime() - REPORT_EVERY_NANOS;
  private long lastDigests = System.nanoTime() - DIGESTS_EVERY_NANOS;
  private int pieceCount = -1;
  /** Registrations in a row after the supernode forgot this peer. */
  private int rejoins;

  /** @param prefix the whole-file digests, advanced as pieces arrive in order */
  public P2pSession(SupernodeClient client, Reconnect reconnect, TaskId task, String peerId, PieceFetcher fetcher,
      Neighbors neighbors, HeldFile held, FileChannel out, Progress progress, Throttles.Gate gate, int parallelism,
      Semaphore memory, boolean cdnOnly, PrefixDigest prefix) {
    this.prefix = prefix;
    this.client = client;
    this.reconnect = reconnect;
    this.task = task;
    this.peerId = peerId;
    this.fetcher = fetcher;
    this.neighbors = cdnOnly ? null : neighbors;
    this.held = held;
    this.out = out;
    this.progress = progress;
    this.gate = gate;
    this.parallelism = parallelism;
    this.memory = memory;
    this.cdnOnly = cdnOnly;
  }

  /** Runs to DONE and returns the supernode's last answer (length and whole-file digest). */
  public ScheduleResponse run() throws SupernodeClient.Unreachable, InterruptedException {
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        return loop(workers);
      } finally {
        workers.shutdownNow();
      }
    }
  }

  private ScheduleResponse loop(ExecutorService workers) throws SupernodeClient.Unreachable, InterruptedException {
    boolean first = true;
    while (true) {
      if (fatal != null) {
        throw fatal;
      }
      for (Outcome o; (o = outcomes.poll()) != null; ) {
        collect(o);
      }
      int free = parallelism - fetching.size();
      int planned = free > 0 ? fromNeighbors(free, workers) : 0;
      free -= planned;
      // Ask the supernode for work (pieces no neighbor offers, or the CDN) when slots stay free; while
      // neighbors keep some slots busy, not more than four times a second.
      boolean needWork = free > 0 && (planned == 0 || System.nanoTime() - lastAsk >= REPORT_EVERY_NANOS / 4);
      boolean reportsDue = done.size() + failed.size() >= REPORT_BATCH
          || (!(done.isEmpty() && failed.isEmpty()) && System.nanoTime() - lastAsk >= REPORT_EVERY_NANOS);
      boolean maybeDone = fetching.isEmpty() && pieceCount >= 0 && held.heldPieces().cardinality() >= pieceCount;
      if (!(first || needWork || reportsDue || maybeDone)) {
        Outcome o = outcomes.poll(250, TimeUnit.MILLISECONDS);
        if (o != null) {
          collect(o);
        }
        continue;
      }
      first = false;
      ScheduleResponse r;
      try {
        r = client.schedule(task, new ScheduleRequest(peerId, done, failed, needWork ? free : 0));
      } catch (IOException e) {
        LOG.warn("lost supernode {} during task {}: {}", client.node(), task, e.toString());
        reconnect.reconnect();
        continue;
      } catch (DownloadFailure e) {
        if (!forgotten(e) || ++rejoins > MAX_REJOINS) {
          throw e;
        }
        // the supernode dropped this peer (not heard from within its TTL) or restarted: join again, keep the pieces
        LOG.warn("supernode {} forgot this peer of task {} ({}); registering again", client.node(), task, e.getMessage());
        reconnect.reconnect();
        continue;
      }
      rejoins = 0;
      lastAsk = System.nanoTime();
      done.clear();
      failed.clear();
      learn(r);
      switch (r.status()) {
        case ASSIGNED -> {
          for (Assignment a : r.assignments()) {
            remember(a.piece(), a.digest());
            if (fetching.contains(a.piece())) {
              continue; // already coming from a neighbor; its report releases this assignment
            }
            if (held.holds(a.offset(), a.length())) {
              done.add(new PieceDone(a.piece(), SELF));
            } else {
              launch(a, null, workers);
            }
          }
        }
        case WAIT -> {
          if (fetching.isEmpty() && needWork) {
            Outcome o = outcomes.poll(Math.max(50, Math.min(1000, r.retryAfterMillis())), TimeUnit.MILLISECONDS);
            if (o != null) {
              collect(o);
            }
          }
        }
        case DONE -> {
          if (fetching.isEmpty()) {
            return r;
          }
          collect(outcomes.take());
        }
        case FAILED -> throw SupernodeClient.failure(r.error());
      }
    }
  }

  /** True when the supernode answered that it does not know this peer or task (it expired it, or restarted). */
  private static boolean forgotten(DownloadFailure e) {
    return e.answered(ErrorCode.PEER_NOT_FOUND) || e.answered(ErrorCode.TASK_NOT_FOUND);
  }

  private void learn(ScheduleResponse r) {
    if (r.contentLength() >= 0) {
      progress.total = r.contentLength();
      held.setTotalLength(r.contentLength());
    }
    pieceCount = r.pieceCount();
    if (neighbors != null) {
      neighbors.update(r.neighbors());
    }
  }

  /** Plans and starts fetches from neighbors for up to {@code free} slots; returns how many started. */
  private int fromNeighbors(int free, ExecutorService workers) throws InterruptedException {
    if (neighbors == null || neighbors.isEmpty()) {
      return 0;
    }
    List<Neighbors.Planned> plan = neighbors.plan(free, knownDigests(), this::skip);
    if (plan.isEmpty() && neighbors.highestHeld() >= knownDigests()
        && System.nanoTime() - lastDigests >= DIGESTS_EVERY_NANOS) {
      refreshDigests(); // neighbors hold pieces whose digests this peer has not learned yet
      plan = neighbors.plan(free, knownDigests(), this::skip);
    }
    int started = 0;
    for (Neighbors.Planned p : plan) {
      long offset = (long) p.piece() * held.pieceSize();
      long total = held.totalLength();
      int length = (int) (total >= 0 ? Math.min(held.pieceSize(), total - offset) : held.pieceSize());
      launch(new Assignment(p.piece(), offset, length, digests.get(p.piece()), List.of(p.source())),
          p.source().peerId(), workers);
      started++;
    }
    return started;
  }

  private boolean skip(int piece) {
    if (fetching.contains(piece) || digests.get(piece) == null) {
      return true;
    }
    long offset = (long) piece * held.pieceSize();
    long total = held.totalLength();
    int length = (int) (total >= 0 ? Math.min(held.pieceSize(), total - offset) : held.pieceSize());
    return length <= 0 || held.holds(offset, length);
  }

  /** Pieces 0..n-1 whose digests are all known. */
  private int knownDigests() {
    int n = 0;
    while (n < digests.size() && digests.get(n) != null) {
      n++;
    }
    return n;
  }

  private void refreshDigests() throws InterruptedException {
    lastDigests = System.nanoTime();
    try {
      PieceDigests d = client.pieceDigests(task);
      if (d.contentLength() >= 0) {
        held.setTotalLength(d.contentLength());
        progress.total = d.contentLength();
      }
      for (int i = 0; i < d.digests().size(); i++) {
        remember(i, d.digests().get(i));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("piece digests of {} unavailable: {}", task, e.toString());
    }
  }

  private void remember(int piece, String digest) {
    while (digests.size() <= piece) {
      digests.add(null);
    }
    digests.set(piece, digest);
  }

  private void launch(Assignment a, String neighbor, ExecutorService workers) {
    fetching.add(a.piece());
    workers.execute(() -> {
      try {
        outcomes.add(fetch(a, neighbor));
      } catch (RuntimeException e) {
        fatal = e;
        outcomes.add(new Outcome(a.piece(), null, List.of(), neighbor));
      }
    });
  }

  private void collect(Outcome o) {
    fetching.remove(o.piece());
    if (o.neighbor() != null) {
      neighbors.ended(o.neighbor());
      if (o.done() == null) {
        neighbors.failed(o.neighbor());
      }
    }
    if (o.done() != null) {
      done.add(o.done());
      try {
        prefix.advance(); // hashes the file's in-order prefix now, not all of it after the last piece
      } catch (IOException e) {
        throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "cannot read " + held.path() + " back: " + e.getMessage(), e);
      }
    }
    failed.addAll(o.failures());
    digestFailures.count(o.failures());
    if (neighbors != null) {
      o.failures().stream().filter(f -> f.reason() == FailureReason.DIGEST_MISMATCH)
          .forEach(f -> neighbors.ban(f.source()));
    }
  }

  private Outcome fetch(Assignment a, String neighbor) {
    List<PieceFailure> failures = new ArrayList<>();
    try {
      memory.acquire(a.length());
      byte[] buffer = buffer(a.length());
      try {
        for (Source s : a.sources()) {
          if ((cdnOnly && !s.isCdn()) || liars.contains(s.peerId())) {
            continue;
          }
          try {
            fetcher.fetch(task, a, s, buffer, gate);
            write(buffer, a);
            held.markHeld(a.piece());
            (s.isCdn() ? progress.fromCdn : progress.fromPeers).addAndGet(a.length());
            return new Outcome(a.piece(), new PieceDone(a.piece(), s.peerId()), failures, neighbor);
          } catch (PieceFetcher.Failed f) {
            if (f.reason == FailureReason.DIGEST_MISMATCH && !s.isCdn()) {
              liars.add(s.peerId());
            }
            LOG.info("piece {} of {} from {} failed: {} {}", a.piece(), task, s.peerId(), f.reason, f.getMessage());
            failures.add(new PieceFailure(a.piece(), s.peerId(), f.reason, f.getMessage()));
          }
        }
      } finally {
        memory.release(a.length());
        if (buffers.size() < parallelism) {
          buffers.offer(buffer);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "cannot write " + held.path() + ": " + e.getMessage(), e);
    }
    return new Outcome(a.piece(), null, failures, neighbor);
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
