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
 * each run on its own virtual thread, warming at most {@value #PARALLEL_BLOBS} blobs at once.
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

  PreheatJobs(ImageBlobs images, CdnWarmer warmer, InstantSource clock) {
    this.images = images;
    this.warmer = warmer;
    this.clock = clock;
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
  }

  @Override
  public void close() {
    runners.shutdownNow();
  }
}
