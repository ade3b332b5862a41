package io.damselfly.dfdaemon.metrics;

import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.dfdaemon.fetch.P2pFetches;
import io.damselfly.peer.download.pieces.PieceListener;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.ProgressEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * dfdaemon's meters: what its embedded peer node fetched (by source: CDN, peers, origin) and served, piece
 * latency, downloads, and the blob cache. Thread-safe: pieces are reported from many download threads.
 * Byte counters are totals; Prometheus derives rates from them.
 */
public final class DaemonMetrics implements PieceListener, Consumer<ProgressEvent>, AutoCloseable {
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter fetchedCdn = pieceBytes("cdn");
  private final Counter fetchedPeers = pieceBytes("peer");
  private final Timer latencyCdn = latency("cdn");
  private final Timer latencyPeers = latency("peer");
  private final Counter served = Counter.builder("dfdaemon.uploaded.bytes").baseUnit("bytes")
      .description("Verified piece bytes the upload server sent to other peers").register(registry);
  private final Counter origin = Counter.builder("dfdaemon.origin.bytes").baseUnit("bytes")
      .description("Bytes downloads fetched straight from the origin (no supernode, or pattern source)")
      .register(registry);
  private final Counter done = downloads("done");
  private final Counter failed = downloads("error");

  public DaemonMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** Adds the cache's and the downloads' gauges. */
  public DaemonMetrics watch(BlobCache cache, P2pFetches fetches) {
    Gauge.builder("dfdaemon.cache.bytes", cache, BlobCache::usedBytes).baseUnit("bytes").strongReference(true)
        .description("Bytes of blobs in the cache").register(registry);
    FunctionCounter.builder("dfdaemon.cache.damaged", cache, BlobCache::damaged)
        .description("Cached blobs found damaged on disk before they were served; removed and fetched again")
        .register(registry);
    FunctionCounter.builder("dfdaemon.cache.evictions", cache, BlobCache::evictions)
        .description("Cache entries evicted (size limit or free-disk watermark)").register(registry);
    Gauge.builder("dfdaemon.downloads.active", fetches, P2pFetches::inFlight).strongReference(true)
        .description("P2P downloads running now").register(registry);
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void fetched(boolean fromCdn, int bytes, long nanos) {
    (fromCdn ? fetchedCdn : fetchedPeers).increment(bytes);
    (fromCdn ? latencyCdn : latencyPeers).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed(boolean fromCdn, FailureReason reason) {
    Counter.builder("dfdaemon.piece.failures").tag("source", fromCdn ? "cdn" : "peer")
        .tag("reason", reason.name().toLowerCase(Locale.ROOT))
        .description("Piece fetches that failed, by source and reason").register(registry).increment();
  }

  @Override
  public void served(long bytes) {
    served.increment(bytes);
  }

  /** A download ended: counts it and the bytes it took from the origin. */
  @Override
  public void accept(ProgressEvent end) {
    (end.type() == ProgressEvent.Type.DONE ? done : failed).increment();
    if (end.fromSource() > 0) {
      origin.increment(end.fromSource());
    }
  }

  private Counter pieceBytes(String source) {
    return Counter.builder("dfdaemon.piece.bytes").baseUnit("bytes").tag("source", source)
        .description("Verified piece bytes the embedded node fetched, by source").register(registry);
  }

  private Timer latency(String source) {
    return Timer.builder("dfdaemon.piece.latency").tag("source", source)
        .description("One piece's fetch: request to verified bytes, by source")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  private Counter downloads(String result) {
    return Counter.builder("dfdaemon.downloads").tag("result", result)
        .description("P2P downloads that ended, by result").register(registry);
  }

  @Override
  public void close() {
    registry.close();
  }
}
