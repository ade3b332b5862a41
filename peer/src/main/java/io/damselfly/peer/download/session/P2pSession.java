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
import io.damselfly.transport.ApiClient;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The piece loop of one download, driven by events: a fetch ended, the supernode answered, a neighbor's
 * watched piece map grew. The loop thread waits for the next event and never for the network: schedule
 * requests run on threads of their own and post their answers, so a long poll parked at the supernode never
 * holds back finished fetches, which are reported on the next request (at once when the file is complete or 16
 * reports are pending: that request displaces the parked one). Free slots are filled from neighbors first,
 * then from the supernode's assignments (which also name the CDN). Time comes from the injected clock.
 */
public final class P2pSession {
  private static final Logger LOG = LoggerFactory.getLogger(P2pSession.class);
  /** Report source for a piece this peer already held when a new supernode assigned it. */
  static final String SELF = "self";
  /** Reports sent at the latest when this many are pending, even while a long poll is parked. */
  static final int REPORT_BATCH = 16;
  /** Reports not riding on a work request are sent at the latest this long after the last request. */
  static final long REPORT_EVERY_MILLIS = 1000;
  /** The digest list is asked again at most this often while neighbors hold pieces it lacks. */
  static final long DIGESTS_EVERY_MILLIS = 500;
  /** A WAIT that came back sooner than this is followed by a pause of the same length (a guard, not a poll). */
  static final long MIN_WAIT_MILLIS = 20;
  private static final int MAX_REJOINS = 3;

  /** A supernode's answer, or why there was none; {@code done} and {@code failed} are the reports it carried. */
  private record Answer(int generation, ScheduleResponse response, Exception error, List<PieceDone> done,
      List<PieceFailure> failed, long sentAt) {}

  /** How the session reaches a supernode again after losing one. */
  @FunctionalInterface
  public interface Reconnect {
    void reconnect() throws SupernodeClient.Unreachable, InterruptedException;
  }

  private final SupernodeClient client;
  private final Reconnect reconnect;
  private final TaskId task;
  private final String peerId;
  private final HeldFile held;
  private final Progress progress;
  private final int parallelism;
  private final PrefixDigest prefix;
  private final InstantSource clock;
  private final PieceWork work;
  private final Neighbors neighbors;
  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final Set<Integer> fetching = new HashSet<>();
  private final DigestFailures digestFailures = new DigestFailures();
  private final List<String> digests = new ArrayList<>();
  private final List<PieceDone> done = new ArrayList<>();
  private final List<PieceFailure> failed = new ArrayList<>();
  private volatile RuntimeException fatal;
  private long lastAsk = Long.MIN_VALUE / 2;
  private long lastDigests = Long.MIN_VALUE / 2;
  private long notBefore = Long.MIN_VALUE / 2;
  private int pieceCount = -1;
  /** Schedule requests on their way, and whether one of them may be parked (it asked for work). */
  private int asking;
  private boolean polling;
  /** Bumped when the session moves to another supernode: answers of earlier requests are dropped. */
  private int generation;
  private ScheduleResponse finished;
  /** Registrations in a row after the supernode forgot this peer. */
  private int rejoins;

  /**
   * @param cluster how neighbors' piece maps are asked for (null for a download that uses no neighbors)
   * @param prefix the whole-file digests, advanced as pieces arrive in order; null when the file is not hashed
   */
  public P2pSession(SupernodeClient client, Reconnect reconnect, TaskId task, String peerId, PieceFetcher fetcher,
      ApiClient cluster, Duration mapTimeout, HeldFile held, FileChannel out, Progress progress,
      Throttles.Gate gate, int parallelism, Semaphore memory, boolean cdnOnly, PrefixDigest prefix,
      InstantSource clock) {
    this.client = client;
    this.reconnect = reconnect;
    this.task = task;
    this.peerId = peerId;
    this.held = held;
    this.progress = progress;
    this.parallelism = parallelism;
    this.prefix = prefix;
    this.clock = clock;
    this.work = new PieceWork(task, fetcher, held, out, progress, gate, memory, cdnOnly, parallelism, clock);
    this.neighbors = cdnOnly || cluster == null ? null
        : new Neighbors(cluster, task, peerId, mapTimeout, clock, events::add);
  }

  /** Runs to DONE and returns the supernode's last answer (length and whole-file digest). */
  public ScheduleResponse run() throws SupernodeClient.Unreachable, InterruptedException {
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        return loop(workers);
      } finally {
        if (neighbors != null) {
          neighbors.close();
        }
        workers.shutdownNow();
      }
    }
  }

  private ScheduleResponse loop(ExecutorService workers) throws SupernodeClient.Unreachable, InterruptedException {
    send(parallelism, workers); // the first request: assignments, neighbors, the length
    while (true) {
      Object event = events.poll(waitMillis(), TimeUnit.MILLISECONDS);
      for (; event != null; event = events.poll()) {
        apply(event, workers);
      }
      if (fatal != null) {
        throw fatal;
      }
      if (finished != null) {
        if (fetching.isEmpty()) {
          return finished;
        }
        continue;
      }
      int free = parallelism - fetching.size();
      int planned = free > 0 ? fromNeighbors(free, workers) : 0;
      free -= planned;
      long now = clock.millis();
      boolean allHeld = fetching.isEmpty() && pieceCount >= 0 && held.heldCount() >= pieceCount;
      int reports = done.size() + failed.size();
      boolean batch = reports >= REPORT_BATCH || (allHeld && reports > 0);
      boolean due = batch || (reports > 0 && now - lastAsk >= REPORT_EVERY_MILLIS);
      // Work is asked for when slots stay free after the neighbors' offers; when every piece is held the
      // request asks too, so that the supernode parks it until it can answer DONE (its fetch may still end).
      // (free is below 0 when two answers together assigned more pieces than there were slots)
      int want = allHeld ? parallelism : Math.max(0, free);
      if (now < notBefore) {
        continue;
      }
      if (asking == 0 && (want > 0 || due)) {
        send(want, workers);
      } else if (asking == 1 && polling && batch) {
        send(want, workers); // displaces the parked long poll, which the supernode answers WAIT at once
      }
    }
  }

  /** How long the loop may sleep before it must look again without an event; 0 to wait for one. */
  private long waitMillis() {
    long now = clock.millis();
    long until = Long.MAX_VALUE;
    if (now < notBefore) {
      until = notBefore;
    }
    if (asking == 0 && !(done.isEmpty() && failed.isEmpty())) {
      until = Math.min(until, lastAsk + REPORT_EVERY_MILLIS);
    }
    if (neighbors != null && fetching.size() < parallelism && finished == null) {
      until = Math.min(until, neighbors.nextUsable()); // a busy neighbor may take a fetch again then
    }
    return until == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, until - now);
  }

  private void apply(Object event, ExecutorService workers) throws SupernodeClient.Unreachable, InterruptedException {
    if (event instanceof PieceWork.Outcome o) {
      collect(o);
    } else if (event instanceof Answer a) {
      answered(a, workers);
    } else if (event instanceof Neighbors.MapAnswer m && neighbors != null) {
      neighbors.apply(m);
    }
  }

  /** Sends the pending reports and asks for {@code want} pieces, on a thread of its own. */
  private void send(int want, ExecutorService workers) {
    List<PieceDone> d = List.copyOf(done);
    List<PieceFailure> f = List.copyOf(failed);
    done.clear();
    failed.clear();
    asking++;
    polling |= want > 0;
    lastAsk = clock.millis();
    int gen = generation;
    long sentAt = lastAsk;
    ScheduleRequest request = new ScheduleRequest(peerId, d, f, want);
    workers.execute(() -> {
      try {
        events.add(new Answer(gen, client.schedule(task, request), null, d, f, sentAt));
      } catch (IOException | RuntimeException e) {
        events.add(new Answer(gen, null, e, d, f, sentAt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private void answered(Answer a, ExecutorService workers) throws SupernodeClient.Unreachable, InterruptedException {
    if (a.generation() != generation) {
      return; // a request to a supernode this session has left
    }
    asking--;
    if (asking == 0) {
      polling = false;
    }
    if (a.error() != null) {
      done.addAll(0, a.done()); // not delivered: they ride on the next request
      failed.addAll(0, a.failed());
      lost(a.error());
      return;
    }
    rejoins = 0;
    ScheduleResponse r = a.response();
    learn(r);
    switch (r.status()) {
      case ASSIGNED -> {
        for (Assignment x : r.assignments()) {
          remember(x.piece(), x.digest());
          if (fetching.contains(x.piece())) {
            continue; // already coming from a neighbor; its report releases this assignment
          }
          if (held.holds(x.offset(), x.length())) {
            done.add(new PieceDone(x.piece(), SELF));
          } else {
            launch(x, null, workers);
          }
        }
      }
      case WAIT -> {
        long took = clock.millis() - a.sentAt();
        long pause = Math.max(r.retryAfterMillis(), took < MIN_WAIT_MILLIS && asking == 0 ? MIN_WAIT_MILLIS : 0);
        notBefore = clock.millis() + pause;
      }
      case DONE -> finished = r;
      case FAILED -> throw SupernodeClient.failure(r.error());
    }
  }

  /** The supernode is gone, or forgot this peer: register again (with the next one), keeping the pieces. */
  private void lost(Exception e) throws SupernodeClient.Unreachable, InterruptedException {
    if (e instanceof DownloadFailure f) {
      if (!forgotten(f) || ++rejoins > MAX_REJOINS) {
        throw f;
      }
      LOG.warn("supernode {} forgot this peer of task {} ({}); registering again", client.node(), task, f.getMessage());
    } else if (e instanceof RuntimeException re) {
      throw re;
    } else {
      LOG.warn("lost supernode {} during task {}: {}", client.node(), task, e.toString());
    }
    generation++;
    asking = 0;
    polling = false;
    reconnect.reconnect();
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
    int started = launch(neighbors.plan(free, knownDigests(), this::skip), workers);
    if (started < free && neighbors.highestHeld() >= knownDigests()
        && clock.millis() - lastDigests >= DIGESTS_EVERY_MILLIS) {
      refreshDigests(); // neighbors hold pieces whose digests this peer has not learned yet
      // planned only after the first plan's fetches started, so that skip() leaves their pieces out
      started += launch(neighbors.plan(free - started, knownDigests(), this::skip), workers);
    }
    return started;
  }

  private int launch(List<Neighbors.Planned> plan, ExecutorService workers) {
    for (Neighbors.Planned p : plan) {
      long offset = (long) p.piece() * held.pieceSize();
      launch(new Assignment(p.piece(), offset, length(p.piece()), digests.get(p.piece()), List.of(p.source())),
          p.source().peerId(), workers);
    }
    return plan.size();
  }

  private int length(int piece) {
    long offset = (long) piece * held.pieceSize();
    long total = held.totalLength();
    return (int) (total >= 0 ? Math.min(held.pieceSize(), total - offset) : held.pieceSize());
  }

  private boolean skip(int piece) {
    if (fetching.contains(piece) || digests.get(piece) == null) {
      return true;
    }
    int length = length(piece);
    return length <= 0 || held.holds((long) piece * held.pieceSize(), length);
  }

  /** Pieces 0..n-1 whose digests are all known. */
  private int knownDigests() {
    int n = 0;
    while (n < digests.size() && digests.get(n) != null) {
      n++;
    }
    return n;
  }

  /** Learns the digests of the pieces stored since the ones this peer knows (only those travel). */
  private void refreshDigests() throws InterruptedException {
    lastDigests = clock.millis();
    try {
      PieceDigests d = client.pieceDigests(task, knownDigests());
      if (d.contentLength() >= 0) {
        held.setTotalLength(d.contentLength());
        progress.total = d.contentLength();
      }
      for (int i = 0; i < d.digests().size(); i++) {
        remember(d.from() + i, d.digests().get(i));
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
        events.add(work.fetch(a, neighbor));
      } catch (RuntimeException e) {
        fatal = e;
        events.add(new PieceWork.Outcome(a.piece(), null, List.of(), neighbor, false));
      }
    });
  }

  private void collect(PieceWork.Outcome o) {
    fetching.remove(o.piece());
    if (o.neighbor() != null) {
      neighbors.ended(o.neighbor());
      if (o.busy()) {
        neighbors.busy(o.neighbor());
      } else if (o.done() == null) {
        neighbors.failed(o.neighbor());
      }
    }
    if (o.done() != null) {
      done.add(o.done());
      try {
        if (prefix != null) {
          prefix.advance(); // hashes the file's in-order prefix now, not all of it after the last piece
        }
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
}
