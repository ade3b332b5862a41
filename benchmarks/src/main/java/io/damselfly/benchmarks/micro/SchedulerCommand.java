package io.damselfly.benchmarks.micro;

import io.damselfly.benchmarks.net.Dirs;
import io.damselfly.common.ByteSize;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/lab scheduler}: the supernode's scheduler under many simulated peers in one process, on one
 * task and spread over many tasks (real CDN tasks over a loopback origin). Prints a markdown table.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Drives io.damselfly.supernode.scheduler.Scheduler with simulated peers: assignments per second, "
        + "p50/p99 answer latency, heap per peer. Two scenarios: all peers on one task, and spread over many tasks.")
public final class SchedulerCommand implements Callable<Integer> {
  @Option(names = "--peers", description = "Simulated peers per scenario (default: ${DEFAULT-VALUE}).")
  int peers = 10_000;

  @Option(names = "--tasks", description = "Tasks of the second scenario (default: ${DEFAULT-VALUE}).")
  int tasks = 1_000;

  @Option(names = "--one-task-size", paramLabel = "SIZE",
      description = "File size of the one-task scenario (default: ${DEFAULT-VALUE}: 256 pieces of 256 KiB).")
  String oneTaskSize = "64M";

  @Option(names = "--many-task-size", paramLabel = "SIZE",
      description = "File size of each task of the many-task scenario (default: ${DEFAULT-VALUE}: 4 pieces).")
  String manyTaskSize = "1M";

  @Option(names = "--concurrency", description = "Requests in flight, like concurrent HTTP handlers (default: "
      + "${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Option(names = "--want", description = "Pieces each request asks for (default: ${DEFAULT-VALUE}, a peer's "
      + "parallelism).")
  int want = 4;

  @ParentCommand
  io.damselfly.benchmarks.LabMain lab;

  @Override
  public Integer call() throws Exception {
    if (peers < 1 || tasks < 1 || concurrency < 1 || want < 1) {
      System.err.println("scheduler: --peers, --tasks, --concurrency and --want must be >= 1");
      return 2;
    }
    Path out = MicroDirs.create(lab, "scheduler");
    List<SchedulerLoad.Result> results = new ArrayList<>();
    try (SimCdn cdn = new SimCdn(out.resolve("work"))) {
      results.add(scenario(cdn.tasks(1, ByteSize.parse("--one-task-size", oneTaskSize)), out));
      results.add(scenario(cdn.tasks(tasks, ByteSize.parse("--many-task-size", manyTaskSize)), out));
    } finally {
      Dirs.delete(out.resolve("work"));
    }
    List<String> md = new ArrayList<>(List.of("| Peers | Tasks | Pieces per task | Requests | Assignments | "
        + "Assignments/s | p50 (ms) | p99 (ms) | max (ms) | WAIT answers | Heap per peer |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"));
    for (SchedulerLoad.Result r : results) {
      md.add(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %.0f | %.3f | %.3f | %.3f | %d | %.0f B |",
          r.peers(), r.tasks(), r.pieceCount(), r.requests(), r.assignments(), r.assignmentsPerSecond(),
          r.percentileMillis(0.50), r.percentileMillis(0.99), r.percentileMillis(1.0), r.waits(), r.heapPerPeer()));
    }
    md.add("");
    md.add("Concurrency " + concurrency + ", want " + want + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, max heap " + ByteSize.format(Runtime.getRuntime().maxMemory()) + ", JDK " + Runtime.version());
    Files.write(out.resolve("scheduler.md"), md);
    md.forEach(System.out::println);
    return 0;
  }

  private SchedulerLoad.Result scenario(List<CdnTask> cdnTasks, Path out) throws Exception {
    SupernodeConfig config = SupernodeConfig.forTests(out.resolve("work").resolve("sn"));
    try (Scheduler scheduler = new Scheduler(config, InstantSource.system())) {
      return SchedulerLoad.run(scheduler, cdnTasks, peers, concurrency, want);
    }
  }
}
