package io.damselfly.cli;

import io.damselfly.cli.render.Summary;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dfget server}: runs the home's peer node until it has been idle for the keep-alive, or SIGTERM.
 * dfget starts it when no node runs; it is hidden from dfget's help and documented in docs/CLI.md.
 */
@Command(name = "dfget server", sortOptions = false, usageHelpAutoWidth = true,
    description = "Runs this home's peer node: uploads verified pieces to other peers and runs dfget's downloads.")
final class ServerCommand {
  @Option(names = "--home", paramLabel = "DIR",
      description = "Home for data and logs (default: $DAMSELFLY_HOME, else ~/.small-dragonfly; ~ is $HOME).")
  Path home;

  @Option(names = "--port", paramLabel = "PORT", description = "Upload port for other peers (default: 0 = random).")
  int port;

  @Option(names = "--upload-limit", paramLabel = "RATE", description = "Upload rate cap, e.g. 20M (default: none).")
  String uploadLimit;

  @Option(names = "--keepalive", paramLabel = "DURATION",
      description = "Exit after this long without downloads or uploads; 0 = never (default: 5m).")
  String keepAlive;

  @Option(names = "--piece-timeout", paramLabel = "DURATION",
      description = "How long one piece may take from one source before the next source is tried (default: 30s).")
  String pieceTimeout;

  @Option(names = "--advertise-ip", paramLabel = "IP",
      description = "Address other peers reach this node on (default: the address used towards the supernode).")
  String advertiseIp;

  @Option(names = "--console", description = "Print logs on stderr too (they always go to "
      + "<home>/logs/dfget-server.log).")
  boolean console;

  @Option(names = "--detached", description = "Started in the background by dfget: ignore Ctrl-C and hang-up of "
      + "the terminal dfget ran in (SIGTERM still stops the node).")
  boolean detached;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  /** Runs the node; returns the exit code once it stopped. */
  int run(CliEnv env) throws InterruptedException {
    NodeConfig config;
    Path dir;
    try {
      dir = env.home(home);
      if (port < 0 || port > 65535) {
        throw CliException.usage("--port must be in [0, 65535], got " + port);
      }
      ServerArgs args = new ServerArgs(
          uploadLimit == null ? -1 : CliValues.rate("--upload-limit", uploadLimit),
          keepAlive == null ? null : CliValues.duration("--keepalive", keepAlive), advertiseIp,
          pieceTimeout == null ? null : PlanBuilder.positive("--piece-timeout",
              CliValues.duration("--piece-timeout", pieceTimeout)));
      config = args.applyTo(NodeConfig.defaults(dir)).withPorts(port, 0);
    } catch (CliException e) {
      env.err().println(Summary.error(e.getMessage()));
      return e.exit().code();
    }
    LogSetup.configure(dir.resolve("logs"), "dfget-server", console);
    Logger log = LoggerFactory.getLogger(ServerCommand.class);
    if (detached) {
      Signals.ignoreTerminal();
    }
    PeerNode node;
    try {
      io.damselfly.transport.JdkHttpTuning.apply(); // before the node's first JDK client (origins)
      node = PeerNode.start(config, InstantSource.system());
    } catch (RuntimeException e) {
      log.error("cannot start the node", e);
      env.err().println(Summary.error("cannot start the node: " + e.getMessage()));
      return 1;
    }
    Thread hook = new Thread(node::close, "dfget-server-stop");
    if (env.installHooks()) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    env.out().println("dfget server ready: pid " + ProcessHandle.current().pid() + " local port " + node.localPort()
        + " upload port " + node.uploadPort() + " keepalive " + describe(config.keepAlive()));
    env.out().flush();
    node.awaitClose();
    log.info("node stopped");
    return 0;
  }

  private static String describe(Duration keep) {
    return keep.isZero() ? "none (runs until stopped)" : keep.toString();
  }
}
