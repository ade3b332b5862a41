package io.damselfly.supernode;

import io.damselfly.common.ByteSize;
import io.damselfly.common.Homes;
import io.damselfly.common.PieceLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.damselfly.transport.ClusterAccessOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code supernode}: runs the cluster manager and CDN until stopped (SIGTERM or Ctrl-C). */
@Command(name = "supernode", mixinStandardHelpOptions = true, versionProvider = SupernodeMain.Version.class,
    sortOptions = false,
    description = "Damselfly supernode: fetches each file from its origin once, cuts it into verified pieces "
        + "and schedules which peer downloads which piece from whom.")
public final class SupernodeMain implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", description = "Peer API port (default: ${DEFAULT-VALUE}; 0 = random).")
  int port = 8002;

  @Option(names = "--download-port", paramLabel = "PORT",
      description = "Piece download port (default: ${DEFAULT-VALUE}; 0 = random).")
  int downloadPort = 8001;

  @Option(names = "--home", paramLabel = "DIR",
      description = "Home for data and logs (default: ~/.small-dragonfly, ~ being $HOME, else the user's home).")
  Path home;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "CDN storage (default: <home>/supernode).")
  Path dataDir;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind = "0.0.0.0";

  @Option(names = "--advertise-ip", paramLabel = "IP",
      description = "Address peers use for the piece port (default: the address each peer reached us on).")
  String advertiseIp;

  @Option(names = "--revalidate-after", paramLabel = "SECONDS",
      description = "Serve a stored file this long after its last origin check before asking the origin again "
          + "with a conditional GET (default: ${DEFAULT-VALUE}; 0 = every time).")
  long revalidateAfter = 60;

  @Option(names = "--max-uploads-per-peer", paramLabel = "N",
      description = "Pieces one peer uploads at once (default: ${DEFAULT-VALUE}).")
  int maxUploadsPerPeer = 4;

  @Option(names = "--peer-ttl", paramLabel = "SECONDS",
      description = "A peer not heard from this long is dropped (default: ${DEFAULT-VALUE}).")
  long peerTtl = 60;

  @Option(names = "--piece-timeout", paramLabel = "SECONDS",
      description = "An assigned piece not reported this long is released and assigned again, so the pieces of a "
          + "peer that died go to others (default: ${DEFAULT-VALUE}).")
  long pieceTimeout = 30;

  @Option(names = "--cache-size", paramLabel = "SIZE",
      description = "Most bytes of files the CDN keeps, such as 100G; complete files are evicted least recently "
          + "used first (default: ${DEFAULT-VALUE}).")
  String cacheSize = "100G";

  @Option(names = "--min-free", paramLabel = "SIZE",
      description = "Free space the CDN's disk keeps, such as 1G; a file that cannot fit is refused before it is "
          + "fetched (default: ${DEFAULT-VALUE}).")
  String minFree = "1G";

  @Option(names = "--min-piece-size", paramLabel = "SIZE",
      description = "Smallest piece size files are cut into, a power of two from 64K to 16M; files up to 4G get "
          + "pieces of this size, larger ones about 1024 pieces (default: ${DEFAULT-VALUE}).")
  String minPieceSize = "4M";

  @Option(names = "--log-dir", paramLabel = "DIR",
      description = "Rolling log files (50 MB each, 7 days, 500 MB in all) (default: <home>/logs).")
  Path logDir;

  @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:DAMSELFLY_ADMIN_TOKEN}",
      description = "Bearer token admin routes (task deletion, preheat) require; without one they answer "
          + "callers on this host only (env DAMSELFLY_ADMIN_TOKEN; at least 16 characters).")
  String adminToken;

  @Mixin
  ClusterAccessOptions access;

  @Option(names = "--metrics-token", paramLabel = "TOKEN", defaultValue = "${env:DAMSELFLY_METRICS_TOKEN}",
      description = "Read-only token that lets GET /metrics in without the cluster secret (Authorization: Bearer; "
          + "env DAMSELFLY_METRICS_TOKEN; at least 16 characters; default: none). /_ping and /_ready never "
          + "need the secret.")
  String metricsToken;

  @Option(names = "--store", paramLabel = "URI",
      description = "Cluster state: memory (default: nothing shared, this supernode alone), redis://HOST:PORT, "
          + "rediss://HOST:PORT (TLS) or redis-cluster://HOST:PORT[,HOST:PORT]. Supernodes sharing a store and "
          + "cluster id form one cluster (see docs/CLUSTER.md).")
  String store = "memory";

  @Option(names = "--cluster-id", paramLabel = "ID",
      description = "Name of the cluster in the store (default: ${DEFAULT-VALUE}).")
  String clusterId = "default";

  @Option(names = "--member-ttl", paramLabel = "SECONDS",
      description = "A supernode not heard from this long leaves the cluster and its tasks move (default: "
          + "${DEFAULT-VALUE}); one that refuses connections is passed over at once, one that is silent after two "
          + "missed heartbeats.")
  double memberTtl = 10;

  @Option(names = "--preheat-auth", paramLabel = "MODE",
      description = "Who may preheat besides the admin check (--admin-token as Bearer, or loopback): none, "
          + "basic:USER:PASSWORD or header:NAME:VALUE (Harbor's provider auth modes).")
  String preheatAuth;

  @Option(names = "--console", description = "Print logs on the console too.")
  boolean console;

  public static void main(String[] args) {
    io.damselfly.transport.JdkHttpTuning.apply();
    System.exit(new CommandLine(new SupernodeMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path home;
    try {
      home = this.home != null ? Path.of(Homes.expand(this.home.toString(), Homes.user())).toAbsolutePath()
          : Homes.defaultHome();
    } catch (IllegalArgumentException e) {
      System.err.println("supernode: error: " + e.getMessage());
      return 2;
    }
    io.damselfly.transport.Logs.configure(logDir != null ? logDir : home.resolve("logs"), "supernode", console);
    SupernodeConfig config = SupernodeConfig.defaults(home)
        .withPorts(port, downloadPort).withBindHost(bind).withAdvertiseHost(advertiseIp)
        .withDataDir(dataDir != null ? dataDir : home.resolve("supernode"))
        .withRevalidateAfter(Duration.ofSeconds(revalidateAfter))
        .withLimits(maxUploadsPerPeer, Duration.ofSeconds(peerTtl));
    try {
      config = config.withAccess(access.access().withMetricsToken(metricsToken),
          adminToken == null || adminToken.isBlank() ? null : adminToken);
      config = config.withPieceTimeout(Duration.ofSeconds(pieceTimeout))
          .withCache(ByteSize.parse("--cache-size", cacheSize), ByteSize.parse("--min-free", minFree))
          .withMinPieceSize(pieceSizeFlag(ByteSize.parse("--min-piece-size", minPieceSize)));
    } catch (IllegalArgumentException e) {
      System.err.println("supernode: error: " + e.getMessage());
      return 2;
    }
    Supernode node;
    try {
      io.damselfly.supernode.cluster.ClusterConfig cluster = io.damselfly.supernode.cluster.ClusterConfig.defaults()
          .withStore(store, clusterId).withMemberTtl(Duration.ofMillis((long) (memberTtl * 1000)));
      node = Supernode.start(config, cluster, io.damselfly.supernode.preheat.PreheatAuth.parse(preheatAuth),
          InstantSource.system());
    } catch (IllegalArgumentException e) {
      System.err.println("supernode: error: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "supernode-stop"));
    System.out.println("supernode ready api=" + node.apiPort() + " pieces=" + node.piecePort()
        + " dashboard=http://localhost:" + node.apiPort() + io.damselfly.protocol.ProtocolV1.DASHBOARD);
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SupernodeMain.class.getPackage().getImplementationVersion();
      return new String[] {"supernode " + (v == null ? "dev" : v)};
    }
  }

  /** {@code --min-piece-size} in bytes: a power of two from 64 KiB to 16 MiB, or a message naming the flag. */
  private static int pieceSizeFlag(long bytes) {
    try {
      return PieceLayout.checkMinPieceSize((int) Math.min(bytes, Integer.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--min-piece-size must be a power of two from 64K to 16M, such as 256K or "
          + "4M, got " + bytes + " bytes");
    }
  }
}
