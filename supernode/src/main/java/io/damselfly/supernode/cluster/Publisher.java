package io.damselfly.supernode.cluster;

import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.Scheduler;
import io.damselfly.supernode.scheduler.TaskPieces;
import io.damselfly.supernode.store.Holding;
import io.damselfly.supernode.store.Member;
import io.damselfly.supernode.store.StateStore;
import io.damselfly.supernode.store.TaskRecord;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what this supernode learns to the store, in batches: the facts and piece digests of the tasks its
 * CDN fetches (every {@value #TASKS_EVERY_MILLIS} ms while running, at once when a fetch ends), and one
 * bitmap per peer per task of the pieces peers reported (every {@link ClusterConfig#publishEvery}, only
 * bitmaps that changed).
 */
final class Publisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  static final long TASKS_EVERY_MILLIS = 200;

  private final StateStore store;
  private final Scheduler scheduler;
  private final ClusterConfig config;
  private final InstantSource clock;
  private final Supplier<Member> self;
  private final Map<String, CdnTask> dirty = new ConcurrentHashMap<>();
  /** Last bitmap written per task and peer; publisher thread only. */
  private final Map<String, String> written = new HashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cluster-publisher").daemon().factory());

  Publisher(StateStore store, Scheduler scheduler, ClusterConfig config, InstantSource clock, Supplier<Member> self) {
    this.store = store;
    this.scheduler = scheduler;
    this.config = config;
    this.clock = clock;
    this.self = self;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::flushTasks, TASKS_EVERY_MILLIS, TASKS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    long every = config.publishEvery().toMillis();
    timer.scheduleWithFixedDelay(this::flushHoldings, every, every, TimeUnit.MILLISECONDS);
  }

  /** A CDN task stored a piece or ended; called on its fetcher's thread. */
  void changed(CdnTask t) {
    if (t.status() == TaskStatus.RUNNING) {
      dirty.put(t.id().value(), t);
      return;
    }
    dirty.remove(t.id().value());
    write(t); // the end of a fetch is written at once: a takeover must see every digest
  }

  private void flushTasks() {
    for (String id : List.copyOf(dirty.keySet())) {
      CdnTask t = dirty.remove(id);
      if (t != null) {
        write(t);
      }
    }
  }

  private void write(CdnTask t) {
    Member me = self.get();
    if (me == null || t.status() == TaskStatus.EVICTED) {
      return;
    }
    try {
      store.putTask(new TaskRecord(t.key(), t.id().value(), t.url(), t.layout().contentLength(), t.layout().pieceSize(),
          t.etag(), t.lastModified(), t.status(), t.fileDigest(), t.storedDigests(), me.id(), clock.millis()));
    } catch (RuntimeException e) {
      LOG.warn("cannot record task {} in the cluster store: {}", t.id(), e.toString());
    }
  }

  private void flushHoldings() {
    try {
      long now = clock.millis();
      Map<String, String> seen = new HashMap<>();
      for (TaskView v : scheduler.views(null).get(5, TimeUnit.SECONDS)) {
        if (v.peers().isEmpty()) {
          continue;
        }
        TaskPieces pieces = scheduler.pieces(io.damselfly.common.TaskId.of(v.taskId())).get(5, TimeUnit.SECONDS);
        for (TaskPieces.PeerPieces p : pieces.peers()) {
          String slot = v.taskId() + "/" + p.peerId();
          if (p.port() > 0 && p.piecesHave() > 0 && !p.have().equals(written.get(slot))) {
            store.putHolding(v.taskId(), new Holding(p.peerId(), p.host(), p.port(), p.have(), now));
          }
          seen.put(slot, p.have());
        }
      }
      written.clear();
      written.putAll(seen);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("cannot record piece holders in the cluster store: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
