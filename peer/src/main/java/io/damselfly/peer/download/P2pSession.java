package io.damselfly.peer.download;

import io.damselfly.common.TaskId;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The piece loop of one download: ask the supernode for a batch, fetch the batch in parallel on
 * virtual threads (each piece verified in memory, then written at its offset and offered to other
 * peers), report the batch's outcome with the next request, until the supernode says DONE.
 */
final class P2pSession {
  private static final Logger LOG = LoggerFactory.getLogger(P2pSession.class);
  /** Report source for a piece this peer already held when a new supernode assigned it. */
  static final String SELF = "self";

  private record Outcome(PieceDone done, List<PieceFailure> failures) {}

  /** How the session reaches a supernode again after losing one. */
  @FunctionalInterface
  interface Reconnect {
    void reconnect() throws SupernodeClient.Unreachable, InterruptedException;
  }

  private final SupernodeClient client;
  private final Reconnect reconnect;
  private final TaskId task;
  private final String peerId;
  private final PieceFetcher fetcher;
  private final HeldFile held;
  private final FileChannel out;
  private final Progress progress;
  private final Throttles.Gate gate;
  private final int parallelism;
  private final Semaphore memory;
  private final boolean cdnOnly;
  private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private volatile RuntimeException fatal;

  P2pSession(SupernodeClient client, Reconnect reconnect, TaskId task, String peerId, PieceFetcher fetcher,
      HeldFile held, FileChannel out, Progress progress, Throttles.Gate gate, int parallelism, long memoryBudget,
      boolean cdnOnly) {
    this.client = client;
    this.reconnect = reconnect;
    this.task = task;
    this.peerId = peerId;
    this.fetcher = fetcher;
    this.held = held;
    this.out = out;
    this.progress = progress;
    this.gate = gate;
    this.parallelism = parallelism;
    this.memory = new Semaphore((int) Math.min(Integer.MAX_VALUE,
        Math.max(memoryBudget, io.damselfly.common.PieceLayout.MAX_PIECE_SIZE)));
    this.cdnOnly = cdnOnly;
  }

  /** Runs to DONE and returns the supernode's last answer (length and whole-file digest). */
  ScheduleResponse run() throws SupernodeClient.Unreachable, InterruptedException {
    List<PieceDone> done = new ArrayList<>();
    List<PieceFailure> failed = new ArrayList<>();
    int inFlight = 0;
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        while (true) {
          if (fatal != null) {
            throw fatal;
          }
          for (Outcome o; (o = outcomes.poll()) != null; inFlight--) {
            collect(o, done, failed);
          }
          int free = parallelism - inFlight;
          if (free == 0) {
            collect(outcomes.take(), done, failed);
            inFlight--;
            continue;
          }
          ScheduleResponse r;
          try {
            r = client.schedule(task, new ScheduleRequest(peerId, done, failed, free));
          } catch (IOException e) {
            LOG.warn("lost supernode {} during task {}: {}", client.node(), task, e.toString());
            reconnect.reconnect();
            continue;
          }
          done.clear();
          failed.clear();
          if (r.contentLength() >= 0) {
            progress.total = r.contentLength();
            held.setTotalLength(r.contentLength());
          }
          switch (r.status()) {
            case ASSIGNED -> {
              for (Assignment a : r.assignments()) {
                if (held.holds(a.offset(), a.length())) {
                  done.add(new PieceDone(a.piece(), SELF));
                } else {
                  inFlight++;
                  workers.execute(() -> {
                    try {
                      outcomes.add(fetch(a));
                    } catch (RuntimeException e) {
                      fatal = e;
                      outcomes.add(new Outcome(null, List.of()));
                    }
                  });
                }
              }
            }
            case WAIT -> {
              Outcome o = outcomes.poll(Math.max(50, Math.min(1000, r.retryAfterMillis())), TimeUnit.MILLISECONDS);
              if (o != null) {
                collect(o, done, failed);
                inFlight--;
              }
            }
            case DONE -> {
              if (inFlight == 0) {
                return r;
              }
              collect(outcomes.take(), done, failed);
              inFlight--;
            }
            case FAILED -> throw SupernodeClient.failure(r.error());
          }
        }
      } finally {
        workers.shutdownNow();
      }
    }
  }

  private static void collect(Outcome o, List<PieceDone> done, List<PieceFailure> failed) {
    if (o.done() != null) {
      done.add(o.done());
    }
    failed.addAll(o.failures());
  }

  private Outcome fetch(Assignment a) {
    List<PieceFailure> failures = new ArrayList<>();
    try {
      memory.acquire(a.length());
      try {
        byte[] buffer = new byte[a.length()];
        for (Source s : a.sources()) {
          if (cdnOnly && !s.isCdn()) {
            continue;
          }
          try {
            fetcher.fetch(task, a, s, buffer, gate);
            write(buffer, a);
            held.markHeld(a.piece());
            (s.isCdn() ? progress.fromCdn : progress.fromPeers).addAndGet(a.length());
            return new Outcome(new PieceDone(a.piece(), s.peerId()), failures);
          } catch (PieceFetcher.Failed f) {
            LOG.info("piece {} of {} from {} failed: {} {}", a.piece(), task, s.peerId(), f.reason, f.getMessage());
            failures.add(new PieceFailure(a.piece(), s.peerId(), f.reason, f.getMessage()));
          }
        }
      } finally {
        memory.release(a.length());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new DownloadFailure(io.damselfly.protocol.DfgetExit.OUTPUT_ERROR,
          "cannot write " + held.path() + ": " + e.getMessage(), e);
    }
    return new Outcome(null, failures);
  }

  private void write(byte[] buffer, Assignment a) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, a.length());
    long at = a.offset();
    while (b.hasRemaining()) {
      at += out.write(b, at);
    }
  }
}
