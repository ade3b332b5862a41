package io.damselfly.supernode.metrics;

import io.damselfly.supernode.cdn.CdnStore;
import io.damselfly.supernode.cdn.ClaimVerdict;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.SchedulerListener;
import io.damselfly.supernode.scheduler.SchedulerSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.function.ToDoubleFunction;

/**
 * The supernode's meters. Scheduler events arrive on the scheduler thread and only touch Micrometer's
 * thread-safe meters; gauges read the snapshot the scheduler publishes each tick (a volatile field), never
 * the scheduler's maps. Byte counters are totals: Prometheus derives rates from them.
 */
public final class SupernodeMetrics implements SchedulerListener {
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  private final CdnTotals totals = new CdnTotals();
  private final Counter scheduleRequests;
  private final Counter parked;
  private final Counter assignedCdn;
  private final Counter assignedPeers;
  private final Counter bytesCdn;
  private final Counter bytesPeers;
  private final Timer latencyCdn;
  private final Timer latencyPeers;
  private final Counter isolations;
  private final Counter joins;
  private final Counter leaves;
  private final Counter expiries;
  private volatile SchedulerSnapshot snapshot = SchedulerSnapshot.EMPTY;

  public SupernodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.scheduleRequests = Counter.builder("damselfly.schedule.requests")
        .description("Schedule requests peers sent (the supernode's load)").register(registry);
    this.parked = Counter.builder("damselfly.schedule.parked")
        .description("Schedule requests that found no work and waited (long poll)").register(registry);
    this.assignedCdn = assignments(registry, "cdn");
    this.assignedPeers = assignments(registry, "peer");
    this.bytesCdn = pieceBytes(registry, "cdn");
    this.bytesPeers = pieceBytes(registry, "peer");
    this.latencyCdn = latency(registry, "cdn");
    this.latencyPeers = latency(registry, "peer");
    this.isolations = Counter.builder("damselfly.peer.isolations")
        .description("Peers isolated as bad sources").register(registry);
    this.joins = Counter.builder("damselfly.peer.joins").description("Peers that joined a task").register(registry);
    this.leaves = departures(registry, "left");
    this.expiries = departures(registry, "expired");
    gauge(registry, "damselfly.tasks", "all", "Tasks the scheduler knows", SchedulerSnapshot::tasks);
    gauge(registry, "damselfly.tasks", "active", "Tasks with at least one peer", SchedulerSnapshot::activeTasks);
    gauge(registry, "damselfly.peers", "active", "Peers that may upload", SchedulerSnapshot::peersActive);
    gauge(registry, "damselfly.peers", "isolated", "Peers no longer used as sources", SchedulerSnapshot::peersIsolated);
    Gauge.builder("damselfly.schedule.waiting", this, m -> m.snapshot.parked())
        .description("Schedule requests waiting for work now").register(registry);
    Gauge.builder("damselfly.uploads.in.flight", this, m -> m.snapshot.cdnUploadsInFlight()).tag("source", "cdn")
        .description("Assigned pieces not reported yet, by first source").register(registry);
    Gauge.builder("damselfly.uploads.in.flight", this, m -> m.snapshot.peerUploadsInFlight()).tag("source", "peer")
        .description("Assigned pieces not reported yet, by first source").register(registry);
  }

  /** Adds the CDN's meters: origin and served bytes and evictions (counters), stored bytes and files (gauges). */
  public void watch(CdnStore cdn) {
    FunctionCounter.builder("damselfly.origin.bytes", totals, CdnTotals::originBytes).baseUnit("bytes")
        .description("Body bytes the CDN received from origins").register(registry);
    FunctionCounter.builder("damselfly.cdn.repairs", cdn, CdnStore::repairsDone).tag("outcome", "repaired")
        .description("Damaged CDN pieces fetched again from the origin and served again").register(registry);
    FunctionCounter.builder("damselfly.cdn.repairs", cdn, CdnStore::repairsFailed).tag("outcome", "failed")
        .description("Damaged CDN pieces the origin could not give again (only peers holding them serve them)")
        .register(registry);
    for (ClaimVerdict v : new ClaimVerdict[] {ClaimVerdict.DAMAGED, ClaimVerdict.INTACT}) {
      FunctionCounter.builder("damselfly.cdn.damage.claims", cdn, c -> c.claims(v))
          .tag("verdict", v.name().toLowerCase(java.util.Locale.ROOT))
          .description("Peers' reports of CDN pieces failing their digest, checked by re-hashing the stored piece")
          .register(registry);
    }
    FunctionCounter.builder("damselfly.cdn.served.bytes", totals, CdnTotals::servedBytes).baseUnit("bytes")
        .description("Piece bytes the supernode's piece server sent to peers (its upload)").register(registry);
    Gauge.builder("damselfly.cdn.stored.bytes", cdn, CdnStore::storedBytes).baseUnit("bytes")
        .description("Bytes of files the CDN keeps on disk").register(registry);
    Gauge.builder("damselfly.cdn.files", cdn, CdnStore::taskCount)
        .description("Content versions the CDN knows").register(registry);
    FunctionCounter.builder("damselfly.cdn.evictions", cdn, CdnStore::evictions)
        .description("Complete files the CDN evicted to make room (size limit or free-disk watermark)")
        .register(registry);
  }

  /** Origin and CDN byte totals over every task peers used. */
  public CdnTotals totals() {
    return totals;
  }

  /** The counts of the last tick. */
  public SchedulerSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public void scheduleRequest(CdnTask task) {
    scheduleRequests.increment();
  }

  @Override
  public void assigned(CdnTask task, int fromCdn, int fromPeers) {
    assignedCdn.increment(fromCdn);
    assignedPeers.increment(fromPeers);
  }

  @Override
  public void parked(CdnTask task) {
    parked.increment();
  }

  @Override
  public void pieceDone(CdnTask task, boolean fromCdn, int bytes, Duration latency) {
    (fromCdn ? bytesCdn : bytesPeers).increment(bytes);
    if (latency != null && !latency.isNegative()) {
      (fromCdn ? latencyCdn : latencyPeers).record(latency);
    }
  }

  @Override
  public void peerJoined(CdnTask task, String peerId) {
    totals.see(task);
    joins.increment();
  }

  @Override
  public void peerIsolated(String peerId) {
    isolations.increment();
  }

  @Override
  public void peerLeft(CdnTask task, String peerId, BitSet have, String reason, int peersLeft) {
    ("expired".equals(reason) ? expiries : leaves).increment();
  }

  @Override
  public void tick(Instant now, SchedulerSnapshot s) {
    snapshot = s;
  }

  private void gauge(MeterRegistry registry, String name, String state, String help,
      ToDoubleFunction<SchedulerSnapshot> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.snapshot)).tag("state", state).description(help)
        .register(registry);
  }

  private static Counter assignments(MeterRegistry registry, String source) {
    return Counter.builder("damselfly.assignments").tag("source", source)
        .description("Pieces assigned, by first source").register(registry);
  }

  private static Counter pieceBytes(MeterRegistry registry, String source) {
    return Counter.builder("damselfly.piece.bytes").baseUnit("bytes").tag("source", source)
        .description("Verified piece bytes peers reported, by where they came from").register(registry);
  }

  private static Timer latency(MeterRegistry registry, String source) {
    return Timer.builder("damselfly.piece.latency").tag("source", source)
        .description("From a piece's assignment to its report, by first source")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  private static Counter departures(MeterRegistry registry, String reason) {
    return Counter.builder("damselfly.peer.departures").tag("reason", reason)
        .description("Peers that left a task or expired").register(registry);
  }
}
