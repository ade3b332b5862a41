package io.damselfly.supernode.scheduler;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDigests;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse.Status;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.supernode.cdn.CdnTask;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every task, peer and piece holder. One thread applies events from a queue; callers (HTTP
 * handlers on virtual threads, CDN fetchers) submit events and wait on futures. No locks: only this
 * thread ever reads or writes the state below. See docs/CONCURRENCY.md.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final long TICK_MILLIS = 100;

  private final SupernodeConfig config;
  private final InstantSource clock;
  private final Assigner assigner;
  private final BlockingQueue<Consumer<Scheduler>> events = new LinkedBlockingQueue<>();
  private final Map<TaskId, TaskState> tasks = new HashMap<>();
  /** In the order they were last heard from (a request moves a peer to the end), so expiry looks at the oldest only. */
  private final Map<String, PeerRecord> peers = new java.util.LinkedHashMap<>();
  /** Outstanding assignments by deadline, so a tick looks at the expired ones only (stale entries are skipped). */
  private final java.util.PriorityQueue<Due> due = new java.util.PriorityQueue<>(
      java.util.Comparator.comparing(Due::deadline));
  /** The counts for metrics are taken at most this often (they cost O(tasks + peers)). */
  private static final long SNAPSHOT_MILLIS = 1000;
  private Instant nextSnapshot = Instant.MIN;

  /** An assignment's deadline; void once the assignment is no longer the one outstanding. */
  private record Due(Instant deadline, TaskState task, TaskPeer peer, int piece, TaskPeer.Outstanding assigned) {}
  private final Thread thread;
  private final SchedulerListener listener;
  private final DamageClaims claims;
  private volatile boolean running = true;

  public Scheduler(SupernodeConfig config, InstantSource clock) {
    this(config, clock, SchedulerListener.NONE);
  }

  /** A scheduler that reports what it does to {@code listener}, on its own thread. */
  public Scheduler(SupernodeConfig config, InstantSource clock, SchedulerListener listener) {
    this(config, clock, listener, DamageClaims.NONE);
  }

  /** A scheduler that also sends reports of damaged CDN pieces to {@code claims} to be checked. */
  public Scheduler(SupernodeConfig config, InstantSource clock, SchedulerListener listener, DamageClaims claims) {
    this.claims = claims;
    this.config = config;
    this.clock = clock;
    this.listener = listener;
    this.assigner = new Assigner(config.maxUploadsPerPeer(), config.maxCdnUploads());
    this.thread = Thread.ofPlatform().name("scheduler").daemon().start(this::loop);
  }

  // ---- the public surface: every call is an event applied on the scheduler thread ----

  public CompletableFuture<RegisterResponse> register(CdnTask task, PeerAddress peer) {
    return submit(s -> s.onRegister(task, peer));
  }

  public CompletableFuture<ScheduleResponse> schedule(TaskId id, ScheduleRequest request, Source cdn) {
    CompletableFuture<ScheduleResponse> answer = new CompletableFuture<>();
    events.add(s -> {
      try {
        s.onSchedule(id, request, cdn, answer);
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    });
    return answer;
  }

  public CompletableFuture<Boolean> leave(TaskId id, String peerId) {
    return submit(s -> s.onLeave(id, peerId));
  }

  /** Something changed in a task (a stored piece, the end of the fetch): retry its parked requests. */
  public void wake(TaskId id) {
    events.add(s -> s.retryParked(s.tasks.get(id)));
  }

  /** The digests of a task's stored pieces. */
  public CompletableFuture<PieceDigests> pieceDigests(TaskId id) {
    return pieceDigests(id, 0);
  }

  /** The digests of a task's stored pieces {@code from} and up (an empty list when it stored fewer). */
  public CompletableFuture<PieceDigests> pieceDigests(TaskId id, int from) {
    return submit(s -> {
      TaskState t = s.tasks.get(id);
      if (t == null) {
        throw new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + id);
      }
      List<String> all = t.cdn.storedDigests();
      return new PieceDigests(id.value(), t.cdn.layout().contentLength(), t.cdn.layout().pieceSize(),
          from >= all.size() ? List.of() : all.subList(from, all.size()), from);
    });
  }

  /** Which peer holds which piece of a task, for the dashboard. */
  public CompletableFuture<TaskPieces> pieces(TaskId id) {
    return submit(s -> {
      TaskState t = s.tasks.get(id);
      if (t == null) {
        throw new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + id);
      }
      return TaskPieces.of(t);
    });
  }

  /**
   * Forgets a task (an admin's DELETE): its assignments are released and its waiting peers told it
   * failed. Completes with false when the task was not known.
   */
  public CompletableFuture<Boolean> forget(TaskId id) {
    return submit(s -> s.onForget(id));
  }

  /** Views of one task, or of all when {@code id} is null. */
  public CompletableFuture<List<TaskView>> views(TaskId id) {
    return submit(s -> s.onViews(id));
  }

  /** Runs expiry now (tests use it with a fake clock). */
  public CompletableFuture<Boolean> tick() {
    return submit(s -> {
      s.nextSnapshot = Instant.MIN;
      s.onTick();
      return true;
    });
  }

  private <T> CompletableFuture<T> submit(java.util.function.Function<Scheduler, T> f) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    events.add(s -> {
      try {
        answer.complete(f.apply(s));
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    });
    return answer;
  }

  private void loop() {
    long nextTick = System.nanoTime();
    while (running) {
      try {
        Consumer<Scheduler> e = events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (e != null) {
          e.accept(this);
        }
        if (System.nanoTime() - nextTick >= 0) {
          onTick();
          nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        }
      } catch (InterruptedException ie) {
        return;
      } catch (RuntimeException re) {
        LOG.error("scheduler event failed", re);
      }
    }
  }

  // ---- event handlers (scheduler thread) ----

  private RegisterResponse onRegister(CdnTask cdn, PeerAddress address) {
    Instant now = clock.instant();
    PeerRecord record = peers.get(address.peerId());
    if (record == null || record.status == PeerStatus.GONE) {
      record = new PeerRecord(address, now);
      peers.put(address.peerId(), record);
    }
    heard(record, now);
    TaskState t = tasks.computeIfAbsent(cdn.id(), id -> new TaskState(cdn));
    if (t.cdn != cdn && t.cdn.gone()) {
      retryFailed(t, cdn);
    }
    PeerRecord r = record;
    t.peers.computeIfAbsent(address.peerId(), id -> {
      TaskPeer joined = new TaskPeer(r);
      if (address.uploads()) {
        t.uploaders.add(joined);
      }
      listener.peerJoined(cdn, id);
      return joined;
    });
    LOG.info("peer {} ({}:{}) joined task {}", address.peerId(), address.host(), address.port(), cdn.id());
    return new RegisterResponse(cdn.id().value(), cdn.layout().contentLength(), cdn.layout().pieceSize(),
        cdn.layout().pieceCount(), cdn.status());
  }

  /** The CDN fetches a failed version again: the task follows the new fetch; old assignments are void. */
  private void retryFailed(TaskState t, CdnTask next) {
    for (TaskPeer p : t.peers.values()) {
      releaseAll(t, p);
    }
    t.cdn = next;
    LOG.info("task {} fetches its origin again after a failed fetch", next.id());
  }

  private void onSchedule(TaskId id, ScheduleRequest req, Source cdn, CompletableFuture<ScheduleResponse> answer) {
    TaskState t = tasks.get(id);
    if (t == null) {
      throw new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + id + ": register first");
    }
    TaskPeer p = t.peers.get(req.peerId());
    if (p == null || p.peer.status == PeerStatus.GONE) {
      throw new ApiException(ErrorCode.PEER_NOT_FOUND, "peer " + req.peerId() + " is not in task " + id + ": register again");
    }
    Instant now = clock.instant();
    heard(p.peer, now);
    t.scheduleRequests++;
    listener.scheduleRequest(t.cdn);
    applyReports(t, p, req, now);
    for (Iterator<Parked> it = t.parked.iterator(); it.hasNext(); ) {
      Parked old = it.next();
      if (old.peer() == p) {
        it.remove();
        old.answer().complete(waitAnswer(t, old.peer()));
      }
    }
    ScheduleResponse r = attempt(t, p, req.want(), cdn, now);
    if (r != null) {
      answer.complete(r);
    } else {
      t.parked.add(new Parked(p, req.want(), cdn, now.plus(config.longPollWait()), answer));
      listener.parked(t.cdn);
    }
    // Only reports can give a parked request work (a new holder, a freed source); an assignment only takes
    // pieces away, so a request without reports leaves the parked ones as they are.
    if (!(req.done().isEmpty() && req.failed().isEmpty())) {
      retryParked(t);
    }
  }

  private void applyReports(TaskState t, TaskPeer p, ScheduleRequest req, Instant now) {
    // A peer may hold pieces this supernode's CDN has not stored yet: it fetched them through another
    // supernode of its list, for the same content, before failing over here. With a known length they are
    // taken as held; they are handed out only once stored here, with their digest.
    int count = t.cdn.layout().pieceCount();
    int bound = count >= 0 ? count : t.cdn.storedPieces();
    for (PieceDone d : req.done()) {
      if (d.piece() < 0 || d.piece() >= bound) {
        throw new IllegalArgumentException("done piece must be in [0, " + bound + "), got " + d.piece());
      }
      TaskPeer.Outstanding assigned = p.outstanding.get(d.piece());
      t.release(p, d.piece(), peers);
      if (p.have.get(d.piece())) {
        continue;
      }
      p.have.set(d.piece());
      t.addHolder(d.piece(), p);
      int len = Assigner.length(t, d.piece());
      listener.pieceDone(t.cdn, ProtocolV1.CDN_SOURCE.equals(d.source()), len, assigned == null ? null
          : java.time.Duration.between(assigned.deadline().minus(config.pieceTimeout()), now));
      if (ProtocolV1.CDN_SOURCE.equals(d.source())) {
        p.bytesFromCdn += len;
      } else {
        p.bytesFromPeers += len;
        PeerRecord src = peers.get(d.source());
        if (src != null) {
          src.bytesUploaded += len;
          src.consecutiveFailures = 0;
        }
      }
    }
    for (PieceFailure f : req.failed()) {
      t.release(p, f.piece(), peers);
      if (ProtocolV1.CDN_SOURCE.equals(f.source())) {
        if (f.reason() == FailureReason.DIGEST_MISMATCH && p.peer.status == PeerStatus.ACTIVE
            && f.piece() >= 0 && f.piece() < t.cdn.storedPieces()) {
          claimDamaged(t.cdn, f.piece(), p.peer.address.peerId());
        }
        continue;
      }
      PeerRecord src = f.source() == null ? null : peers.get(f.source());
      if (src == null || src.status != PeerStatus.ACTIVE) {
        continue;
      }
      src.consecutiveFailures++;
      src.totalFailures++;
      if (f.reason() == FailureReason.DIGEST_MISMATCH || src.consecutiveFailures >= config.isolationFailures()) {
        src.move(PeerStatus.ISOLATED);
        listener.peerIsolated(f.source());
        LOG.warn("isolated peer {} after {} ({} failures in a row), reported by {}", f.source(), f.reason(),
            src.consecutiveFailures, p.peer.address.peerId());
      }
    }
  }

  /** Hands a claim of a damaged CDN piece to the CDN; a false one comes back as an event against its reporter. */
  private void claimDamaged(CdnTask cdn, int piece, String reporter) {
    claims.check(cdn, piece, reporter).whenComplete((verdict, error) -> {
      if (verdict == io.damselfly.supernode.cdn.ClaimVerdict.INTACT) {
        events.add(s -> s.onFalseClaim(cdn, piece, reporter));
      }
    });
  }

  /**
   * A peer claimed a CDN piece failed its digest and the stored piece proved intact: that counts as one
   * failure of the reporter, as a failed fetch from it would ({@code isolationFailures} in a row isolate it).
   */
  private void onFalseClaim(CdnTask cdn, int piece, String reporter) {
    PeerRecord r = peers.get(reporter);
    if (r == null || r.status != PeerStatus.ACTIVE) {
      return;
    }
    r.consecutiveFailures++;
    r.totalFailures++;
    LOG.warn("peer {} claimed piece {} of task {} from the CDN failed its digest; it is intact ({} failures in a row)",
        reporter, piece, cdn.id(), r.consecutiveFailures);
    if (r.consecutiveFailures >= config.isolationFailures()) {
      r.move(PeerStatus.ISOLATED);
      listener.peerIsolated(reporter);
      LOG.warn("isolated peer {} after {} false claims of damaged CDN pieces", reporter, r.consecutiveFailures);
    }
  }

  /** An answer now, or null to park the request until something changes. */
  private ScheduleResponse attempt(TaskState t, TaskPeer p, int want, Source cdn, Instant now) {
    CdnTask c = t.cdn;
    if (c.error() != null) { // FAILED, or EVICTED after it failed
      return new ScheduleResponse(Status.FAILED, List.of(), -1, -1, null, c.error(), 0);
    }
    if (c.status() == TaskStatus.EVICTED) {
      return new ScheduleResponse(Status.FAILED, List.of(), -1, -1, null, new io.damselfly.protocol.ErrorBody(
          ErrorCode.INSUFFICIENT_STORAGE, "the supernode evicted task " + c.id() + " to make room; download again", 0), 0);
    }
    int count = c.layout().pieceCount();
    if (count >= 0 && c.status() == TaskStatus.SUCCESS && p.have.cardinality() >= count) {
      return response(Status.DONE, List.of(), t, null);
    }
    int lost = assigner.unavailable(t, p);
    if (lost >= 0) {
      return new ScheduleResponse(Status.FAILED, List.of(), -1, -1, null, io.damselfly.protocol.ErrorBody.of(
          ErrorCode.PIECE_UNAVAILABLE, "piece " + lost + " of " + c.url() + " is damaged in the supernode's copy and "
              + "could not be fetched again from the origin, and no peer holds a verified copy"), 0);
    }
    List<Assignment> work = assigner.assign(t, p, Math.min(want, config.maxBatch()), cdn,
        now.plus(config.pieceTimeout()));
    for (Assignment a : work) {
      TaskPeer.Outstanding o = p.outstanding.get(a.piece());
      due.add(new Due(o.deadline(), t, p, a.piece(), o));
    }
    if (!work.isEmpty()) {
      int fromCdn = (int) work.stream().filter(a -> a.sources().get(0).isCdn()).count();
      listener.assigned(c, fromCdn, work.size() - fromCdn);
      return response(Status.ASSIGNED, work, t, p);
    }
    return want <= 0 ? waitAnswer(t, p) : null;
  }

  private void retryParked(TaskState t) {
    if (t == null || t.parked.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (Iterator<Parked> it = t.parked.iterator(); it.hasNext(); ) {
      Parked q = it.next();
      ScheduleResponse r = attempt(t, q.peer(), q.want(), q.cdn(), now);
      if (r != null) {
        it.remove();
        q.answer().complete(r);
      }
    }
  }

  private Boolean onLeave(TaskId id, String peerId) {
    TaskState t = tasks.get(id);
    TaskPeer p = t == null ? null : t.peers.get(peerId);
    if (p == null) {
      throw new ApiException(ErrorCode.PEER_NOT_FOUND, "peer " + peerId + " is not in task " + id);
    }
    dropFromTask(t, p, "left");
    if (tasks.values().stream().noneMatch(s -> s.peers.containsKey(peerId)) && p.peer.status == PeerStatus.ACTIVE) {
      p.peer.move(PeerStatus.GONE);
      peers.remove(peerId);
    }
    LOG.info("peer {} left task {}", peerId, id);
    retryParked(t);
    return true;
  }

  private Boolean onForget(TaskId id) {
    TaskState t = tasks.remove(id);
    if (t == null) {
      return false;
    }
    for (TaskPeer p : t.peers.values()) {
      releaseAll(t, p);
    }
    io.damselfly.protocol.ErrorBody gone = io.damselfly.protocol.ErrorBody.of(ErrorCode.TASK_NOT_FOUND,
        "task " + id + " was deleted by an administrator");
    for (Parked q : t.parked) {
      q.answer().complete(new ScheduleResponse(Status.FAILED, List.of(), -1, -1, null, gone, 0));
    }
    t.parked.clear();
    LOG.info("task {} forgotten on an admin's request ({} peers)", id, t.peers.size());
    return true;
  }

  private void releaseAll(TaskState t, TaskPeer p) {
    for (Integer piece : List.copyOf(p.outstanding.keySet())) {
      t.release(p, piece, peers);
    }
  }

  private void dropFromTask(TaskState t, TaskPeer p, String reason) {
    releaseAll(t, p);
    t.removePeer(p.peer.address.peerId());
    listener.peerLeft(t.cdn, p.peer.address.peerId(), (java.util.BitSet) p.have.clone(), reason, t.peers.size());
    t.parked.removeIf(q -> {
      if (q.peer() == p) {
        q.answer().complete(waitAnswer(t, q.peer()));
        return true;
      }
      return false;
    });
  }

  /**
   * Expires what is due: assignments past their deadline (from the queue, O(expired)), parked long polls past
   * theirs, and peers not heard from within the TTL (from the oldest, O(expired)). No work per peer per tick.
   */
  private void onTick() {
    Instant now = clock.instant();
    for (Due d; (d = due.peek()) != null && now.isAfter(d.deadline()); ) {
      due.poll();
      if (d.peer().outstanding.get(d.piece()) == d.assigned()) {
        d.task().release(d.peer(), d.piece(), peers);
      }
    }
    for (TaskState t : tasks.values()) {
      for (Iterator<Parked> it = t.parked.iterator(); it.hasNext(); ) {
        Parked q = it.next();
        if (!now.isBefore(q.deadline())) {
          it.remove();
          q.answer().complete(waitAnswer(t, q.peer()));
        }
      }
    }
    Instant expiry = now.minus(config.peerTtl());
    for (Iterator<PeerRecord> it = peers.values().iterator(); it.hasNext(); ) {
      PeerRecord r = it.next();
      if (!r.lastSeen.isBefore(expiry)) {
        break; // every later peer was heard from since
      }
      if (r.status == PeerStatus.GONE) {
        continue;
      }
      r.move(PeerStatus.GONE);
      it.remove();
      for (TaskState t : tasks.values()) {
        TaskPeer p = t.peers.get(r.address.peerId());
        if (p != null) {
          dropFromTask(t, p, "expired");
        }
      }
      LOG.info("peer {} expired (not heard from in {})", r.address.peerId(), config.peerTtl());
    }
    if (!now.isBefore(nextSnapshot)) {
      nextSnapshot = now.plusMillis(SNAPSHOT_MILLIS);
      listener.tick(now, SchedulerSnapshot.of(tasks.values(), peers.values()));
    }
  }

  /** {@code r} was heard from at {@code now}: it moves to the end of the expiry order. */
  private void heard(PeerRecord r, Instant now) {
    r.lastSeen = now;
    String id = r.address.peerId();
    if (peers.get(id) == r) {
      peers.remove(id);
      peers.put(id, r);
    }
  }

  private List<TaskView> onViews(TaskId id) {
    List<TaskView> out = new ArrayList<>();
    for (TaskState t : tasks.values()) {
      if (id == null || t.cdn.id().equals(id)) {
        out.add(TaskViews.of(t, peers));
      }
    }
    if (id != null && out.isEmpty()) {
      throw new ApiException(ErrorCode.TASK_NOT_FOUND, "no task " + id);
    }
    return out;
  }

  private ScheduleResponse waitAnswer(TaskState t, TaskPeer p) {
    return response(Status.WAIT, List.of(), t, p);
  }

  /** An answer; peers still downloading also learn neighbors to ask for piece maps directly. */
  private ScheduleResponse response(Status status, List<Assignment> work, TaskState t, TaskPeer p) {
    List<Source> neighbors = p == null ? List.of() : assigner.neighbors(t, p);
    return new ScheduleResponse(status, work, t.cdn.layout().contentLength(), t.cdn.layout().pieceCount(),
        t.cdn.fileDigest(), null, 0, neighbors);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
