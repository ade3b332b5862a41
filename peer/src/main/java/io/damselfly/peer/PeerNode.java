package io.damselfly.peer;

import io.damselfly.common.PeerId;
import io.damselfly.peer.download.NodeContext;
import io.damselfly.peer.download.Watchdog;
import io.damselfly.peer.download.pieces.PieceListener;
import io.damselfly.peer.download.session.Serving;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.peer.local.LocalApi;
import io.damselfly.peer.store.TaskFiles;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.transport.ApiClient;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.PieceFiles;
import io.damselfly.transport.RangeClient;
import io.damselfly.transport.RangeFileHandler;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.damselfly.transport.UploadSlots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's peer node: an upload server for verified pieces, a loopback local API that runs
 * downloads, and housekeeping (heartbeats to supernodes, expiry of idle files, idle shutdown).
 */
public final class PeerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerNode.class);
  /**
   * Piece uploads the upload port sends at once; past them it answers BUSY and the downloader asks another
   * source (the supernode's default bound of assignments per peer is the same, see docs/PROTOCOL.md).
   */
  static final int UPLOAD_SLOTS = 4;
  private final NodeConfig config;
  private final InstantSource clock;
  private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final Watchdog watchdog = new Watchdog();
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("housekeeping").daemon().factory());
  private final CountDownLatch closed = new CountDownLatch(1);
  private final TaskFiles files;
  private final NodeContext context;
  private final HttpServer upload;
  private final HttpServer local;
  private volatile Instant lastActivity;

  private PeerNode(NodeConfig config, InstantSource clock, PieceListener pieces) {
    this.config = config;
    this.clock = clock;
    this.lastActivity = clock.instant();
    this.http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + config.dataDir() + ": " + e.getMessage(), e);
    }
    this.files = new TaskFiles(config.dataDir(), clock, config.cacheQuota());
    ServerConfig up = ServerConfig.defaults("upload", config.uploadPort()).withBindHost(config.bindHost())
        .withUploadLimit(config.uploadLimit()).withAccess(config.access());
    this.upload = HttpServer.start(up,
        io.damselfly.peer.store.PieceCheckHandler.mount(io.damselfly.peer.store.PieceMapHandler.mount(
            RangeFileHandler.mount(new Router(), counted(files, pieces), new UploadSlots(UPLOAD_SLOTS)), files), files,
            clock));
    String peerId = PeerId.random(hostName()).value();
    this.context = new NodeContext(config, http, watchdog, files, new Throttles(config.totalLimit()), new Serving(),
        peerId, upload.port(), clock, NodeContext.pieceMemory(config), pieces,
        new ApiClient(config.access(), 1, Duration.ofSeconds(5), Duration.ofMinutes(2)),
        new RangeClient(config.access(), 0, Duration.ofSeconds(5), Duration.ofMinutes(2)));
    LocalApi api = new LocalApi(context, this::info, () -> lastActivity = clock.instant());
    this.local = HttpServer.start(ServerConfig.defaults("local", config.localPort()).withBindHost("127.0.0.1")
        .withIdleTimeout(Duration.ofHours(24)), api.mount(new Router()));
  }

  /** Starts a node; it runs until {@link #close()} or, with a keep-alive, until idle that long. */
  public static PeerNode start(NodeConfig config, InstantSource clock) {
    return start(config, clock, PieceListener.NONE);
  }

  /** Starts a node that tells {@code pieces} about every piece it fetches or serves (an embedder's metrics). */
  public static PeerNode start(NodeConfig config, InstantSource clock, PieceListener pieces) {
    PeerNode node = new PeerNode(config, clock, pieces);
    try {
      new NodeFile(config.kind(), ProcessHandle.current().pid(), node.localPort(), node.uploadPort()).write(config.home());
    } catch (IOException e) {
      node.close();
      throw new UncheckedIOException("cannot write " + NodeFile.path(config.home()) + ": " + e.getMessage(), e);
    }
    long beat = config.heartbeat().toMillis();
    node.housekeeping.scheduleWithFixedDelay(node::beat, beat, beat, TimeUnit.MILLISECONDS);
    node.housekeeping.scheduleWithFixedDelay(node::expire, 1, 1, TimeUnit.SECONDS);
    LOG.info("{} node {} up: upload port {}, local port {}", config.kind(), node.context.peerId(), node.uploadPort(),
        node.localPort());
    return node;
  }

  public int uploadPort() {
    return upload.port();
  }

  public int localPort() {
    return local.port();
  }

  public String peerId() {
    return context.peerId();
  }

  /** What the node's context holds, for embedding (dfdaemon runs downloads through it). */
  public NodeContext context() {
    return context;
  }

  public NodeInfo info() {
    return new NodeInfo(config.kind(), version(), ProcessHandle.current().pid(), uploadPort(), config.home().toString());
  }

  /** Blocks until the node closed (idle keep-alive ran out, or {@link #close()}). */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  private void beat() {
    try {
      context.serving().beat(files, context.peerId());
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  private void expire() {
    Duration keep = config.keepAlive();
    if (keep.isZero()) {
      return;
    }
    files.expire(keep);
    Instant last = files.lastActivity().isAfter(lastActivity) ? files.lastActivity() : lastActivity;
    if (context.serving().downloadsInFlight() == 0 && clock.instant().isAfter(last.plus(keep))) {
      LOG.info("idle for {}: node stops", keep);
      Thread.ofPlatform().daemon().start(this::close);
    }
  }

  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    synchronized (this) {
      if (closed.getCount() == 0) {
        return;
      }
      housekeeping.shutdownNow();
      local.close();
      context.serving().leaveAll(context.peerId());
      upload.close();
      files.expire(Duration.ZERO);
      NodeFile.remove(config.home(), ProcessHandle.current().pid());
      watchdog.close();
      context.pieceClient().close();
      context.cluster().close();
      http.close();
      httpExecutor.shutdownNow();
      closed.countDown();
    }
  }

  /** {@code files} as the upload server sees them, with every served byte also told to {@code pieces}. */
  private static PieceFiles counted(TaskFiles files, PieceListener pieces) {
    if (pieces == PieceListener.NONE) {
      return files;
    }
    return id -> files.lookup(id).map(f -> new PieceFiles.ServedFile() {
      @Override public java.nio.file.Path path() { return f.path(); }
      @Override public long totalLength() { return f.totalLength(); }
      @Override public boolean holds(long start, long length) { return f.holds(start, length); }
      @Override public void served(String peer, long bytes) {
        f.served(peer, bytes);
        pieces.served(bytes);
      }
    });
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "host";
    }
  }

  static String version() {
    String v = PeerNode.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
