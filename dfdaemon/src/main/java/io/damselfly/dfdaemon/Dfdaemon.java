package io.damselfly.dfdaemon;

import io.damselfly.common.TaskId;
import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.dfdaemon.fetch.ContentStreamer;
import io.damselfly.dfdaemon.fetch.P2pFetches;
import io.damselfly.dfdaemon.fetch.UpstreamClient;
import io.damselfly.dfdaemon.fetch.UpstreamTls;
import io.damselfly.dfdaemon.metrics.DaemonMetrics;
import io.damselfly.dfdaemon.metrics.OpsRoutes;
import io.damselfly.dfdaemon.proxy.ConnectHandler;
import io.damselfly.dfdaemon.proxy.Interceptor;
import io.damselfly.dfdaemon.proxy.ProxyHandler;
import io.damselfly.dfdaemon.registry.AccessGuard;
import io.damselfly.dfdaemon.registry.BlobService;
import io.damselfly.dfdaemon.registry.RegistryMirror;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import io.damselfly.peer.local.LocalApi;
import io.damselfly.peer.store.TaskFiles;
import io.damselfly.transport.Handler;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.Readiness;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dfdaemon: the embedded peer node (upload server, downloads), the blob cache, and one port
 * that is the registry mirror, the HTTP proxy and the node's local API for dfget. Wired by hand.
 */
public final class Dfdaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dfdaemon.class);
  private static final Duration IDLE_CONNECTION = Duration.ofMinutes(5);
  /** A request (a pushed layer, say) must arrive whole within this; slower clients are cut (slowloris). */
  private static final Duration REQUEST_ARRIVAL = Duration.ofMinutes(5);
  private static final long HOUSEKEEPING_SECONDS = 10;

  private final DaemonConfig config;
  private final PeerNode node;
  private final UpstreamClient upstream;
  private final BlobCache cache;
  private final P2pFetches fetches;
  private final ConnectHandler connect;
  private final Interceptor interceptor;
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("dfdaemon-housekeeping").daemon().factory());
  private final HttpServer server;
  private final DaemonMetrics metrics = new DaemonMetrics();
  private final Readiness readiness = new Readiness();
  private final OpsRoutes ops = new OpsRoutes(metrics, readiness);

  private Dfdaemon(DaemonConfig config, InstantSource clock) throws IOException {
    this.config = config;
    NodeConfig nc = NodeConfig.defaults(config.home()).withKind(NodeConfig.KIND_DAEMON)
        .withPorts(config.uploadPort(), 0).withAddresses("0.0.0.0", config.advertiseIp())
        .withLimits(config.uploadLimit(), config.totalLimit()).withKeepAlive(Duration.ZERO)
        .withAccess(config.clusterAccess());
    this.node = PeerNode.start(nc, clock, metrics);
    try {
      TaskFiles files = node.context().files();
      this.upstream = new UpstreamClient(UpstreamTls.context(config.upstreamCaFiles()), Duration.ofSeconds(10),
          Duration.ofSeconds(30));
      this.cache = new BlobCache(config.cacheDir().resolve("blobs"), config.cacheBytes(), config.minFreeBytes(), clock,
          task -> stopOffering(files, task));
      this.fetches = new P2pFetches(node.context(), cache, config.cacheDir().resolve("tmp"), metrics);
      metrics.watch(cache, fetches);
      ContentStreamer streamer = new ContentStreamer(cache, upstream);
      AccessGuard guard = new AccessGuard(upstream, clock, config.accessTtl());
      BlobService blobs = new BlobService(guard, cache, fetches, streamer, upstream, config.supernodes());
      RegistryMirror mirror = new RegistryMirror(config.registries(), blobs, upstream);
      ProxyHandler proxy = new ProxyHandler(config.proxies(), blobs, fetches, streamer, upstream, config.supernodes());
      this.interceptor = config.interceptHosts().isEmpty() ? null : Interceptor.open(config.caDir());
      this.connect = new ConnectHandler(config.interceptHosts(), interceptor, proxy);
      Handler rest = r -> {
        if (r.method().equals(HttpMethod.CONNECT)) {
          return connect.handle(r);
        }
        return ProxyHandler.isProxyRequest(r) ? proxy.serve(r.uri(), r) : mirror.handle(r);
      };
      Router router = ops.mount(new LocalApi(node.context(), node::info, () -> {}).mount(new Router()),
          ProxyHandler::isProxyRequest, rest).fallback(rest);
      ServerConfig sc = new ServerConfig("dfdaemon", config.bindHost(), config.port(), config.maxRequestBody(),
          IDLE_CONNECTION, 4096, 0).withLimits(config.maxRequestBody(), 4096, REQUEST_ARRIVAL);
      this.server = HttpServer.start(sc, router);
    } catch (RuntimeException | IOException e) {
      node.close();
      throw e;
    }
    housekeeping.scheduleWithFixedDelay(this::housekeep, HOUSEKEEPING_SECONDS, HOUSEKEEPING_SECONDS, TimeUnit.SECONDS);
    readiness.ready();
  }

  /** Starts a daemon; returns once its port listens. */
  public static Dfdaemon start(DaemonConfig config, InstantSource clock) {
    try {
      Files.createDirectories(config.home());
      return new Dfdaemon(config, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start dfdaemon in " + config.home() + ": " + e.getMessage(), e);
    }
  }

  /** The proxy / mirror / local API port. */
  public int port() {
    return server.port();
  }

  public int uploadPort() {
    return node.uploadPort();
  }

  public PeerNode node() {
    return node;
  }

  public BlobCache cache() {
    return cache;
  }

  /** The meters {@code /metrics} shows. */
  /** What {@code /_ready} answers: READY while the daemon serves, STOPPING from the start of its shutdown. */
  public Readiness readiness() {
    return readiness;
  }

  public DaemonMetrics metrics() {
    return metrics;
  }

  public DaemonConfig config() {
    return config;
  }

  /** The CA certificate clients must trust for intercepted hosts, or null when nothing is intercepted. */
  public Path caCertificate() {
    return interceptor == null ? null : config.caDir().resolve("ca.crt");
  }

  /** Blocks until the daemon's node closed. */
  public void awaitClose() throws InterruptedException {
    node.awaitClose();
  }

  private void housekeep() {
    try {
      node.context().files().expire(config.taskTtl());
      cache.evict();
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed: {}", e.toString());
    }
  }

  /** An evicted file is no longer offered to other peers (the node leaves its task at the next heartbeat). */
  private static void stopOffering(TaskFiles files, String taskId) {
    try {
      files.lookup(TaskId.of(taskId)).ifPresent(f -> {
        if (f instanceof io.damselfly.peer.store.HeldFile held && held.complete()) {
          files.abandon(held);
          try {
            Files.deleteIfExists(held.path());
          } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", held.path(), e.getMessage());
          }
        }
      });
    } catch (IllegalArgumentException ignored) {
      // not a task id: nothing offered
    }
  }

  @Override
  public void close() {
    readiness.stopping();
    housekeeping.shutdownNow();
    server.close();
    connect.close();
    fetches.close();
    upstream.close();
    node.close();
    metrics.close();
  }
}
