package io.damselfly.supernode.preheat;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preheat jobs: one per content (the same image or file asked twice is the same job, unless it failed),
 * each run on its own virtual thread, warming at most {@value #PARALLEL_BLOBS} blobs at once. Every change
 * of a job is written to the supernode's store, and the jobs kept there are read back at start: a restarted
 * supernode answers for them, and runs again those it had not finished (warming is idempotent). A job
 * whose request carried headers cannot be run again (credentials are never stored): it fails, saying so.
 */
public final class PreheatJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PreheatJobs.class);
  static final int PARALLEL_BLOBS = 4;

  /** A submitted job; {@code existing} when the same content was asked before. */
  public record Submitted(PreheatJob job, boolean existing) {}

  private final ImageBlobs images;
  private final CdnWarmer warmer;
  private final InstantSource clock;
  private final ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, PreheatJob> byIdentity = new ConcurrentHashMap<>();
  private final Map<String, PreheatJob> byId = new ConcurrentHashMap<>();
  private final AtomicLong numbers = new AtomicLong();
  private final io.damselfly.supernode.store.StateStore store;

  /** @param store where jobs are kept across restarts, or null to keep them in memory only */
  PreheatJobs(ImageBlobs images, CdnWarmer warmer, InstantSource clock, io.damselfly.supernode.store.StateStore store) {
    this.images = images;
    this.warmer = warmer;
    this.clock = clock;
    this.store = store;
    restore();
  }

  private void restore() {
    if (store == null) {
      return;
    }
    List<PreheatJob> unfinished = new ArrayList<>();
    try {
      for (String json : store.jobs()) {
        PreheatJob job;
        try {
          job = PreheatJob.restore(io.damselfly.protocol.Json.read(
              json.getBytes(java.nio.charset.StandardCharsets.UTF_8), PreheatJob.Snapshot.class));
        } catch (IllegalArgumentException e) {
          LOG.warn("ignoring a preheat job the store holds that this version cannot read: {}", e.getMessage());
          continue;
        }
        index(job);
        numbers.accumulateAndGet(job.number(), Math::max);
        if (job.state() == PreheatJob.State.WAITING || job.state() == PreheatJob.State.RUNNING) {
          unfinished.add(job);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read preheat jobs from the store ({}): starting without them", e.toString());
    }
    for (PreheatJob job : unfinished) {
      if (job.snapshot().credentials()) {
        job.failed(clock.instant(), "the supernode restarted before this preheat finished, and its credentials are "
            + "never stored; preheat again");
        save(job);
      } else {
        LOG.info("preheat {} of {} was not finished before a restart; running it again", job.id(), job.request().url());
        runners.execute(() -> run(job));
      }
    }
    if (!byIdentity.isEmpty()) {
      LOG.info("restored {} preheat jobs from the store ({} run again)", byIdentity.size(), unfinished.size());
    }
  }

  private void index(PreheatJob job) {
    PreheatJob old = byIdentity.get(job.request().identity());
    if (old == null || old.number() < job.number()) {
      byIdentity.put(job.request().identity(), job);
    }
    byId.put(job.id(), job);
    byId.put(Long.toString(job.number()), job);
  }

  /** Writes the job's state to the store; a store that cannot be written costs the record, not the job. */
  private void save(PreheatJob job) {
    if (store == null) {
      return;
    }
    try {
      store.putJob(job.id(), io.damselfly.protocol.Json.writeString(job.snapshot()));
    } catch (RuntimeException e) {
      LOG.warn("cannot keep preheat {} in the store: {}", job.id(), e.toString());
    }
  }

  /** Starts a job for {@code request}, or returns the job already warming (or done with) the same content. */
  public synchronized Submitted submit(PreheatRequest request) {
    String identity = request.identity();
    PreheatJob old = byIdentity.get(identity);
    if (old != null && old.state() != PreheatJob.State.FAILED) {
      return new Submitted(old, true);
    }
    long n = numbers.incrementAndGet();
    String id = HexFormat.of().formatHex(io.damselfly.common.Digest.Algorithm.SHA256.newMessageDigest()
        .digest((identity + "\n" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 32);
    PreheatJob job = new PreheatJob(id, n, request, clock.instant());
    byIdentity.put(identity, job);
    byId.put(id, job);
    byId.put(Long.toString(n), job);
    save(job);
    runners.execute(() -> run(job));
    return new Submitted(job, false);
  }

  /** A job by its id or number. */
  public Optional<PreheatJob> job(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every job, oldest first. */
  public List<PreheatJob> all() {
    Collection<PreheatJob> jobs = byIdentity.values();
    List<PreheatJob> out = new ArrayList<>(jobs);
    out.sort(java.util.Comparator.comparingLong(PreheatJob::number));
    return out;
  }

  private void run(PreheatJob job) {
    job.running(clock.instant());
    save(job);
    PreheatRequest r = job.request();
    try {
      List<ImageBlobs.Blob> blobs = r.image() ? images.of(r.url(), r.headers(), r.platforms())
          : List.of(new ImageBlobs.Blob(r.url(), null));
      Semaphore slots = new Semaphore(PARALLEL_BLOBS);
      List<java.util.concurrent.Future<?>> warming = new ArrayList<>();
      try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
        for (ImageBlobs.Blob b : blobs) {
          warming.add(each.submit(() -> {
            slots.acquire();
            try {
              String task = warmer.warm(b.url(), r.headers(), b.digest(), "preheat-" + job.id());
              job.warmed(new PreheatJob.Warmed(b.url(), task));
              save(job);
            } finally {
              slots.release();
            }
            return null;
          }));
        }
        for (var f : warming) {
          f.get();
        }
      }
      job.succeeded(clock.instant());
      save(job);
      LOG.info("preheat {} of {} done: {} blobs in the CDN", job.id(), r.url(), blobs.size());
    } catch (java.util.concurrent.ExecutionException e) {
      fail(job, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(job, e);
    } catch (Exception e) {
      fail(job, e);
    }
  }

  private void fail(PreheatJob job, Throwable why) {
    String msg = why.getMessage() == null ? why.toString() : why.getMessage();
    LOG.warn("preheat {} of {} failed: {}", job.id(), job.request().url(), msg);
    job.failed(clock.instant(), msg);
    save(job);
  }

  @Override
  public void close() {
    runners.shutdownNow();
  }
}
