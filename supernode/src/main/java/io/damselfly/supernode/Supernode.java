package io.damselfly.supernode;

import io.damselfly.supernode.api.ApiRoutes;
import io.damselfly.supernode.cdn.CdnStore;
import io.damselfly.supernode.cdn.OriginClient;
import io.damselfly.supernode.cluster.Cluster;
import io.damselfly.supernode.cluster.ClusterConfig;
import io.damselfly.supernode.dashboard.DashboardRoutes;
import io.damselfly.supernode.metrics.Listeners;
import io.damselfly.supernode.metrics.MetricsRoutes;
import io.damselfly.supernode.metrics.SupernodeMetrics;
import io.damselfly.supernode.metrics.TaskLedger;
import io.damselfly.supernode.preheat.PreheatAuth;
import io.damselfly.supernode.preheat.PreheatRoutes;
import io.damselfly.supernode.scheduler.Scheduler;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.RangeFileHandler;
import io.damselfly.transport.Readiness;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;

/**
 * A running supernode: CDN, scheduler, API server (8002, also {@code /metrics}, {@code /_ready} and the
 * dashboard) and piece server (8001), wired by hand.
 */
public final class Supernode implements AutoCloseable {
  private final OriginClient origin;
  private final Scheduler scheduler;
  private final CdnStore cdn;
  private final HttpServer pieces;
  private final HttpServer api;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Readiness readiness = new Readiness();
  private final TaskLedger ledger;
  private final SupernodeMetrics metrics;
  private final Cluster cluster;
  private final PreheatRoutes preheat;

  private Supernode(SupernodeConfig config, ClusterConfig clusterConfig, PreheatAuth preheatAuth, InstantSource clock) {
    this.cluster = Cluster.open(clusterConfig, config.access(), config.dataDir(), clock);
    this.origin = new OriginClient(config.originConnectTimeout(), config.originHeaderTimeout());
    this.ledger = new TaskLedger(clock);
    this.metrics = new SupernodeMetrics(registry);
    java.util.concurrent.atomic.AtomicReference<CdnStore> cdnRef = new java.util.concurrent.atomic.AtomicReference<>();
    this.scheduler = new Scheduler(config, clock, Listeners.of(metrics, ledger),
        (task, piece, reporter) -> cdnRef.get().checkClaim(task, piece, reporter));
    this.cdn = new CdnStore(config.dataDir(), origin, clock, config.revalidateAfter(), config.cacheQuota(), cluster,
        config.minPieceSize(), t -> {
      scheduler.wake(t.id());
      cluster.changed(t);
      ledger.cdnChanged(t);
    });
    cdnRef.set(cdn);
    metrics.watch(cdn);
    for (var binder : new io.micrometer.core.instrument.binder.MeterBinder[] {new JvmMemoryMetrics(),
        new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics()}) {
      binder.bindTo(registry);
    }
    this.pieces = HttpServer.start(ServerConfig.defaults("supernode-pieces", config.piecePort())
        .withBindHost(config.bindHost()).withAccess(config.access()), RangeFileHandler.mount(new Router(), cdn));
    ApiRoutes routes = new ApiRoutes(cdn, scheduler, config.advertiseHost(), config.longPollWait(), pieces::port,
        new io.damselfly.supernode.api.AdminGuard(config.adminToken()));
    Router router = MetricsRoutes.mount(routes.router(), registry, readiness);
    new DashboardRoutes(scheduler, metrics, ledger, clock).mount(router);
    String host = advertised(config);
    this.preheat = new PreheatRoutes(() -> authority(host, apiPort()), config.access(),
        new io.damselfly.supernode.api.AdminGuard(config.adminToken()), preheatAuth, config.originHeaderTimeout().multipliedBy(20), clock, cluster.store());
    this.api = HttpServer.start(ServerConfig.defaults("supernode-api", config.apiPort())
        .withBindHost(config.bindHost()).withAccess(config.access()), preheat.mount(router));
    cluster.join(authority(host, api.port()), authority(host, pieces.port()), scheduler);
    readiness.ready();
  }

  public static Supernode start(SupernodeConfig config, InstantSource clock) {
    return start(config, ClusterConfig.defaults(), PreheatAuth.ADMIN, clock);
  }

  /** A supernode in a cluster ({@code cluster}: the shared store and membership TTL), with its preheat auth. */
  public static Supernode start(SupernodeConfig config, ClusterConfig cluster, PreheatAuth preheat, InstantSource clock) {
    return new Supernode(config, cluster, preheat, clock);
  }

  /** The address other supernodes and peers reach this one at: --advertise-ip, the bind address, or this host's. */
  private static String advertised(SupernodeConfig config) {
    if (config.advertiseHost() != null) {
      return config.advertiseHost();
    }
    if (!config.bindHost().equals("0.0.0.0") && !config.bindHost().equals("::")) {
      return config.bindHost();
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  private static String authority(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** This supernode's part in its cluster (members, the store). */
  public Cluster cluster() {
    return cluster;
  }

  public int apiPort() {
    return api.port();
  }

  public int piecePort() {
    return pieces.port();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** The meters {@code /metrics} shows. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** Per-task history: bytes by source, peers seen and gone, throughput. */
  public TaskLedger ledger() {
    return ledger;
  }

  @Override
  public void close() {
    readiness.stopping();
    cluster.close();
    api.close();
    preheat.close();
    pieces.close();
    cdn.close();
    scheduler.close();
    origin.close();
    registry.close();
  }
}
