package io.damselfly.benchmarks.micro;

import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.Scheduler;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a real {@link Scheduler} the way peers' HTTP handlers do: {@code peers} simulated peers spread over
 * the tasks, {@code concurrency} of them at a time, each asking for {@code want} pieces, "fetching" its
 * assignments at once and reporting them in its next request, until the scheduler answers DONE. Measures
 * every answer's latency (submit to answer, queueing included), assignments per second and the heap the
 * peers cost.
 */
final class SchedulerLoad {
  static final Source CDN = new Source(ProtocolV1.CDN_SOURCE, "127.0.0.1", 8001);

  /**
   * What one load run measured.
   *
   * @param latencies every non-WAIT answer's latency in nanoseconds, sorted
   * @param waits answers that were WAIT (a long poll that found nothing within its wait)
   * @param heapPerPeer heap bytes after the run (full GC) minus before registering, per peer
   */
  record Result(int peers, int tasks, int pieceCount, long requests, long assignments, long waits, double seconds,
      long[] latencies, double heapPerPeer) {
    double assignmentsPerSecond() {
      return assignments / seconds;
    }

    double percentileMillis(double p) {
      int r = (int) Math.ceil(p * latencies.length);
      return latencies[Math.max(1, r) - 1] / 1e6;
    }
  }

  private SchedulerLoad() {}

  static Result run(Scheduler scheduler, List<CdnTask> tasks, int peers, int concurrency, int want)
      throws InterruptedException, ExecutionException {
    long heapBefore = usedHeapAfterGc();
    List<CompletableFuture<?>> joins = new ArrayList<>();
    for (int i = 0; i < peers; i++) {
      joins.add(scheduler.register(tasks.get(i % tasks.size()), address(i)));
    }
    CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get();
    ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < peers; i++) {
      queue.add(i);
    }
    AtomicInteger remaining = new AtomicInteger(peers);
    long start = System.nanoTime();
    List<Future<Worker>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> new Worker(scheduler, tasks, want).drain(queue, remaining)));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long requests = 0;
    long assignments = 0;
    long waits = 0;
    List<long[]> all = new ArrayList<>();
    for (Future<Worker> f : workers) {
      Worker w = f.get();
      requests += w.requests;
      assignments += w.assignments;
      waits += w.waits;
      all.add(Arrays.copyOf(w.latencies, w.count));
    }
    workers.clear();
    long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    all.clear();
    // the scheduler still holds every peer (all done); only the latencies array is the harness's own
    double perPeer = (usedHeapAfterGc() - 16L - 8L * latencies.length - heapBefore) / (double) peers;
    return new Result(peers, tasks.size(), tasks.get(0).layout().pieceCount(), requests, assignments, waits, seconds,
        latencies, perPeer);
  }

  static PeerAddress address(int i) {
    return new PeerAddress("sim-" + i, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
        40_000 + i % 20_000);
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** One handler-like worker: takes a peer, runs it until DONE or WAIT, takes the next. */
  private static final class Worker {
    private final Scheduler scheduler;
    private final List<CdnTask> tasks;
    private final int want;
    private long[] latencies = new long[1 << 14];
    private int count;
    private long requests;
    private long assignments;
    private long waits;

    Worker(Scheduler scheduler, List<CdnTask> tasks, int want) {
      this.scheduler = scheduler;
      this.tasks = tasks;
      this.want = want;
    }

    Worker drain(ConcurrentLinkedQueue<Integer> queue, AtomicInteger remaining) throws Exception {
      while (remaining.get() > 0) {
        Integer peer = queue.poll();
        if (peer == null) {
          Thread.sleep(1);
          continue;
        }
        if (runPeer(peer)) {
          remaining.decrementAndGet();
        } else {
          queue.add(peer);
        }
      }
      return this;
    }

    /** True when the peer is done; false when it got WAIT and goes back to the queue. */
    private boolean runPeer(int peer) throws Exception {
      CdnTask task = tasks.get(peer % tasks.size());
      List<PieceDone> done = List.of();
      String id = "sim-" + peer;
      while (true) {
        long t0 = System.nanoTime();
        ScheduleResponse r = scheduler.schedule(task.id(), new ScheduleRequest(id, done, List.of(), want), CDN).get();
        long latency = System.nanoTime() - t0;
        requests++;
        switch (r.status()) {
          case WAIT -> {
            waits++;
            return false;
          }
          case DONE -> {
            record(latency);
            return true;
          }
          case ASSIGNED -> {
            record(latency);
            assignments += r.assignments().size();
            List<PieceDone> next = new ArrayList<>();
            for (Assignment a : r.assignments()) {
              next.add(new PieceDone(a.piece(), a.sources().get(0).peerId()));
            }
            done = next;
          }
          default -> throw new IllegalStateException("task " + task.id() + " answered " + r.status());
        }
      }
    }

    private void record(long nanos) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }
  }
}
