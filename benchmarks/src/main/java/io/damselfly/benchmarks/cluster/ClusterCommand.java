package io.damselfly.benchmarks.cluster;

import io.damselfly.benchmarks.LabMain;
import io.damselfly.benchmarks.lab.MachineInfo;
import io.damselfly.benchmarks.net.Dirs;
import io.damselfly.common.ByteSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/lab cluster}: Redis and real supernode processes on loopback, simulated peers speaking protocol 1.2
 * to them, and one supernode killed with SIGKILL under load. Writes {@code results/cluster/<timestamp>/}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Starts redis-server and N supernode processes sharing it, and simulated peers (virtual threads "
        + "speaking the peer protocol over HTTP, following NOT_OWNER) spread over many tasks of a local origin. "
        + "Kills one supernode with SIGKILL under load and measures how long until its tasks are served again, "
        + "failed downloads, requests per second before and after, and origin requests per task.",
        "Results: results/cluster/<timestamp>/ (results.md, summary.csv, tasks.csv, timeline.csv)."})
public final class ClusterCommand implements Callable<Integer> {
  @Option(names = "--supernodes", description = "Supernode processes (default: ${DEFAULT-VALUE}).")
  int supernodes = 3;

  @Option(names = "--peers", description = "Simulated peers (default: ${DEFAULT-VALUE}).")
  int peers = 10_000;

  @Option(names = "--tasks", description = "Files, one task each (default: ${DEFAULT-VALUE}).")
  int tasks = 200;

  @Option(names = "--size", paramLabel = "SIZE", description = "Size of each file (default: ${DEFAULT-VALUE}: 8 "
      + "pieces of 256 KiB).")
  String size = "2M";

  @Option(names = "--want", description = "Pieces a peer asks for per request (default: ${DEFAULT-VALUE}).")
  int want = 4;

  @Option(names = "--fetch-ms", paramLabel = "MS", description = "Simulated time to fetch one batch of pieces "
      + "(default: ${DEFAULT-VALUE}).")
  long fetchMillis = 200;

  @Option(names = "--ramp", paramLabel = "SECONDS", description = "Peers arrive evenly over this long (default: "
      + "${DEFAULT-VALUE}).")
  long rampSeconds = 60;

  @Option(names = "--kill-at", paramLabel = "SECONDS", description = "When one supernode is killed (default: "
      + "${DEFAULT-VALUE}).")
  long killAtSeconds = 30;

  @Option(names = "--limit", paramLabel = "SECONDS", description = "A download not done this long after its peer "
      + "arrived fails (default: ${DEFAULT-VALUE}).")
  long limitSeconds = 120;

  @Option(names = "--member-ttl", paramLabel = "SECONDS", description = "The supernodes' --member-ttl (default: "
      + "${DEFAULT-VALUE}, theirs).")
  int memberTtl = 10;

  @Option(names = "--supernode-heap", paramLabel = "SIZE", description = "Each supernode's -Xmx (default: "
      + "${DEFAULT-VALUE}).")
  String supernodeHeap = "512m";

  @Option(names = "--out", paramLabel = "DIR", description = "Results root (default: results/cluster in the "
      + "repository).")
  Path out;

  @ParentCommand
  LabMain lab;

  @Override
  public Integer call() throws Exception {
    ScaleConfig config;
    try {
      config = new ScaleConfig(supernodes, peers, tasks, ByteSize.parse("--size", size), want,
          Duration.ofMillis(fetchMillis), Duration.ofSeconds(rampSeconds), Duration.ofSeconds(killAtSeconds),
          Duration.ofSeconds(limitSeconds), memberTtl, supernodeHeap,
          out != null ? out : lab.resultsRoot().resolve("cluster"));
    } catch (IllegalArgumentException e) {
      System.err.println("cluster: " + e.getMessage());
      return 2;
    }
    if (!Files.isRegularFile(lab.tools().repo().resolve("supernode/target/damselfly-supernode.jar"))) {
      System.err.println("cluster: supernode/target/damselfly-supernode.jar is missing (run bin/build)");
      return 2;
    }
    Path dir = Files.createDirectories(config.out().resolve(
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    List<String> machine = MachineInfo.describe();
    Path work = dir.resolve("work");
    ScaleRun run = new ScaleRun(config, lab.tools(), work);
    Thread hook = new Thread(run::abort, "cluster-teardown");
    Runtime.getRuntime().addShutdownHook(hook);
    ScaleRun.Result result;
    try {
      result = run.run();
      Runtime.getRuntime().removeShutdownHook(hook);
    } finally {
      Dirs.pruneLarge(work);
    }
    List<String> md = ScaleReport.write(config, result, machine, dir);
    md.forEach(System.out::println);
    System.out.println("cluster: results in " + dir);
    return result.recorder().failures().isEmpty() ? 0 : 1;
  }
}
