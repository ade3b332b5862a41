package io.damselfly.benchmarks;

import io.damselfly.benchmarks.cluster.ClusterCommand;
import io.damselfly.benchmarks.lab.Lab;
import io.damselfly.benchmarks.lab.LabConfig;
import io.damselfly.benchmarks.lab.Tools;
import io.damselfly.benchmarks.micro.ImageCommand;
import io.damselfly.benchmarks.micro.PullCommand;
import io.damselfly.benchmarks.micro.SchedulerCommand;
import io.damselfly.benchmarks.micro.StartCommand;
import io.damselfly.benchmarks.net.NamespaceNetwork;
import io.damselfly.common.ByteSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/lab}: the distribution lab, its clean-up, and the micro benchmarks. See docs/BENCHMARKS.md. */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = LabMain.Version.class,
    subcommands = {PullCommand.class, ImageCommand.class, SchedulerCommand.class, ClusterCommand.class,
        StartCommand.class},
    description = {"Builds an N-host network from network namespaces (a bridge as the switch, every link capped "
        + "by tc tbf both ways) and downloads one file onto all N hosts at once with each system: direct (curl "
        + "from nginx), bittorrent (opentracker + aria2c), damselfly (dfget) and damselfly-daemon (dfget through "
        + "the host's dfdaemon). Needs root; falls back to loopback without it.",
        "Results: results/lab/<timestamp>/ (runs.csv, hosts.csv, results.md, PNG charts)."})
public final class LabMain implements Callable<Integer> {
  @Option(names = "--hosts", split = ",", paramLabel = "N,...", description = "Downloading hosts per run, a sweep "
      + "(default: 2,4,8,16).")
  List<Integer> hosts = new ArrayList<>(List.of(2, 4, 8, 16));

  @Option(names = "--size", paramLabel = "SIZE", description = "File size, such as 128M or 1G (default: 128M).")
  String size = "128M";

  @Option(names = "--rate", paramLabel = "RATE", description = "Each host's cap, up and down, as tc writes it "
      + "(default: 100mbit).")
  String rate = "100mbit";

  @Option(names = "--systems", split = ",", paramLabel = "NAME,...", description = "Systems to run, in order "
      + "(default: direct,bittorrent,damselfly,damselfly-daemon).")
  List<String> systems = new ArrayList<>(LabConfig.ALL_SYSTEMS);

  @Option(names = "--out", paramLabel = "DIR", description = "Results root (default: results/lab in the "
      + "repository).")
  Path out;

  @Option(names = "--loopback", description = "Use the loopback fallback even where namespaces can be made.")
  boolean loopback;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the file's bytes (default: 1).")
  long seed = 1;

  @Option(names = "--repo", paramLabel = "DIR", description = "Repository root with bin/ and the built jars "
      + "(default: the current directory).")
  Path repo = Path.of("");

  @Option(names = "--java-opts", paramLabel = "FLAGS", description = "Extra JVM flags for dfget, the supernode "
      + "and dfdaemon (DAMSELFLY_JAVA_OPTS; default: none).")
  String javaOpts = "";

  @Option(names = "--node-java-opts", paramLabel = "FLAGS", description = "JVM flags of the nodes dfget starts "
      + "(DAMSELFLY_NODE_JAVA_OPTS; default: dfget's own, -Xmx256m).")
  String nodeJavaOpts = "";

  @Option(names = "--cleanup", description = "Remove leftovers of an interrupted lab (namespaces named "
      + NamespaceNetwork.PREFIX + "* and the processes in them), then exit.")
  boolean cleanup;

  /** The launchers and tools of the repository this lab runs from. */
  public Tools tools() {
    return new Tools(repo.toAbsolutePath().normalize(), Path.of(System.getProperty("java.home")), javaOpts,
        nodeJavaOpts);
  }

  /** results/ in the repository: the lab's default root is its lab/, the micro benchmarks write to micro/. */
  public Path resultsRoot() {
    return repo.toAbsolutePath().normalize().resolve("results");
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new LabMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (cleanup) {
      int removed = NamespaceNetwork.cleanup();
      System.out.println("lab cleanup: removed " + removed + " namespace(s) named " + NamespaceNetwork.PREFIX + "*");
      return 0;
    }
    LabConfig config;
    Tools tools = tools();
    try {
      config = new LabConfig(hosts, ByteSize.parse("--size", size), LabConfig.parseRate("--rate", rate), systems,
          out != null ? out : resultsRoot().resolve("lab"), loopback, seed);
    } catch (IllegalArgumentException e) {
      System.err.println("lab: " + e.getMessage());
      return 2;
    }
    List<String> missing = tools.missing(config.systems());
    if (!missing.isEmpty()) {
      System.err.println("lab: missing " + String.join(", ", missing));
      return 2;
    }
    Lab lab = new Lab(config, tools);
    Thread hook = new Thread(lab::close, "lab-teardown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      lab.run();
      System.out.println("lab: results in " + lab.dir().resolve("results.md"));
      return 0;
    } finally {
      lab.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs anyway
      }
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LabMain.class.getPackage().getImplementationVersion();
      return new String[] {"lab " + (v == null ? "dev" : v)};
    }
  }
}
