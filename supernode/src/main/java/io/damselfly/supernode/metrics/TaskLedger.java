package io.damselfly.supernode.metrics;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.SchedulerListener;
import io.damselfly.supernode.scheduler.SchedulerSnapshot;
import io.damselfly.supernode.scheduler.TaskPieces;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task history the scheduler itself does not keep: bytes delivered by source over the task's life,
 * peers seen, peers gone, and a once-a-second throughput series. Written on the scheduler thread (and by
 * CDN fetchers at a fetch's end); read by the dashboard. Logs one summary line when a task's CDN fetch
 * ends and when its last peer leaves or expires.
 */
public final class TaskLedger implements SchedulerListener {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLedger.class);
  /** Tasks remembered; the oldest idle ones are forgotten beyond this. */
  static final int MAX_TASKS = 512;

  private final InstantSource clock;
  private final Map<TaskId, TaskRecord> tasks = new ConcurrentHashMap<>();
  private long nextSampleMillis;

  public TaskLedger(InstantSource clock) {
    this.clock = clock;
  }

  /** The record of one task, when it is known. */
  public Optional<TaskRecord> task(TaskId id) {
    return Optional.ofNullable(tasks.get(id));
  }

  /** Every remembered task, most recently started first. */
  public List<TaskRecord> tasks() {
    return tasks.values().stream().sorted(Comparator.comparing(TaskRecord::started).reversed()).toList();
  }

  private TaskRecord record(CdnTask cdn) {
    TaskRecord r = tasks.computeIfAbsent(cdn.id(), id -> new TaskRecord(cdn, clock.instant()));
    r.cdn = cdn;
    if (tasks.size() > MAX_TASKS) {
      tasks.values().stream().filter(t -> t.peersNow() == 0 && t != r)
          .min(Comparator.comparing(TaskRecord::lastActive))
          .ifPresent(old -> tasks.remove(old.cdn.id(), old));
    }
    return r;
  }

  /** A CDN task changed (a piece stored, or its fetch ended); called on the fetcher's thread. */
  public void cdnChanged(CdnTask task) {
    if (task.status() == TaskStatus.RUNNING) {
      return;
    }
    TaskRecord r = record(task);
    if (r.fetchEndLogged.compareAndSet(false, true)) {
      summary(r, "cdn-fetch-" + task.status().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Override
  public void peerJoined(CdnTask task, String peerId) {
    record(task).joined(peerId, clock.instant());
  }

  @Override
  public void pieceDone(CdnTask task, boolean fromCdn, int bytes, Duration latency) {
    TaskRecord r = record(task);
    (fromCdn ? r.fromCdn : r.fromPeers).add(bytes);
  }

  @Override
  public void peerLeft(CdnTask task, String peerId, BitSet have, String reason, int peersLeft) {
    TaskRecord r = record(task);
    r.left(new TaskPieces.PeerPieces(peerId, null, 0, "GONE", have.cardinality(), 0, 0, 0, TaskPieces.encode(have)),
        peersLeft, clock.instant());
    if (peersLeft == 0) {
      summary(r, "last-peer-" + reason);
    }
  }

  @Override
  public void tick(Instant now, SchedulerSnapshot snapshot) {
    long ms = now.toEpochMilli();
    if (ms < nextSampleMillis) {
      return;
    }
    nextSampleMillis = ms + 1000;
    for (TaskRecord r : tasks.values()) {
      r.sample(ms);
    }
  }

  private void summary(TaskRecord r, String event) {
    CdnTask c = r.cdn;
    LOG.info("task summary: event={} task={} status={} url={} originBytes={} cdnBytes={} peerBytes={} peers={} "
            + "durationMs={}", event, c.id(), c.status(), c.url(), c.originBytes(), c.cdnBytes(), r.fromPeers.sum(),
        r.peersEver(), Duration.between(r.started(), clock.instant()).toMillis());
  }
}
