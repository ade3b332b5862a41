package io.damselfly.supernode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

  @Option(names = "--home", paramLabel = "DIR", description = "Home for data and logs (default: ~/.small-dragonfly).")
  Path home = Path.of(System.getProperty("user.home"), ".small-dragonfly");

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

  @Option(names = "--console", description = "Print logs on the console too.")
  boolean console;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SupernodeMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    io.damselfly.transport.Logs.configure(home.resolve("logs"), "supernode", console);
    SupernodeConfig config = SupernodeConfig.defaults(home)
        .withPorts(port, downloadPort).withBindHost(bind).withAdvertiseHost(advertiseIp)
        .withDataDir(dataDir != null ? dataDir : home.resolve("supernode"))
        .withRevalidateAfter(Duration.ofSeconds(revalidateAfter))
        .withLimits(maxUploadsPerPeer, Duration.ofSeconds(peerTtl));
    Supernode node = Supernode.start(config, InstantSource.system());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "supernode-stop"));
    System.out.println("supernode ready api=" + node.apiPort() + " pieces=" + node.piecePort());
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
}
