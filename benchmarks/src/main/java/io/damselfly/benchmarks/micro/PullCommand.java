package io.damselfly.benchmarks.micro;

import io.damselfly.benchmarks.LabMain;
import io.damselfly.benchmarks.lab.Nginx;
import io.damselfly.benchmarks.net.Dirs;
import io.damselfly.benchmarks.net.Host;
import io.damselfly.benchmarks.net.Procs;
import io.damselfly.common.ByteSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/lab pull}: one peer pulling a file from a warm supernode over loopback (dfget, pattern cdn, no
 * other peers) against {@code curl -o} pulling the same file from nginx on the same machine; and the pulling
 * node's peak heap under {@code -Xmx128m}, from its GC log, for each file size.
 */
@Command(name = "pull", mixinStandardHelpOptions = true, sortOptions = false,
    description = "One dfget peer against curl over loopback (warm supernode, pattern cdn): throughput ratio and "
        + "the node's peak heap (-Xmx128m, GC log) per file size. Writes results/micro/pull-<timestamp>/.")
public final class PullCommand implements Callable<Integer> {
  @Option(names = "--sizes", split = ",", paramLabel = "SIZE,...",
      description = "File sizes (default: 256M,1G).")
  List<String> sizes = new ArrayList<>(List.of("256M", "1G"));

  @Option(names = "--repeat", description = "Pulls per system and size; the best counts (default: ${DEFAULT-VALUE}).")
  int repeat = 2;

  @Option(names = "--heap", description = "The pulling node's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap = "128m";

  @Option(names = "--jfr", description = "Record the pulling node with JFR (profile settings) next to its logs.")
  boolean jfr;

  @ParentCommand
  LabMain lab;

  @Override
  public Integer call() throws Exception {
    if (repeat < 1 || sizes.isEmpty() || !heap.matches("\\d+[kmgKMG]?")) {
      System.err.println("pull: --repeat must be >= 1, --sizes non-empty and --heap a JVM size such as 128m");
      return 2;
    }
    List<Long> bytes = new ArrayList<>();
    for (String s : sizes) {
      bytes.add(ByteSize.parse("--sizes", s));
    }
    Path out = MicroDirs.create(lab, "pull");
    Path work = out.resolve("work");
    Host local = new Host(0, "local", "127.0.0.1", null, 0);
    List<PullRun.Result> results = new ArrayList<>();
    try (Procs procs = new Procs()) {
      Thread hook = new Thread(procs::close, "pull-teardown");
      Runtime.getRuntime().addShutdownHook(hook);
      Path origin = Files.createDirectories(work.resolve("origin"));
      Nginx nginx = Nginx.start(local, PullRun.freePort(), origin, work.resolve("nginx"), 0, procs);
      PullRun run = new PullRun(lab.tools(), procs, work, "-Xmx" + heap, jfr);
      String supernode = run.startSupernode();
      for (long size : bytes) {
        results.add(run.measure(nginx, origin, size, supernode, repeat));
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    } finally {
      Dirs.pruneLarge(work);
    }
    List<String> md = new ArrayList<>(List.of("| Size | curl (s) | curl MiB/s | node pull (s) | node MiB/s | "
        + "Ratio | dfget wall (s) | Node CPU (s) | Peak heap (-Xmx" + heap + ") | GCs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"));
    List<String> csv = new ArrayList<>(List.of("size_bytes,curl_s,node_s,ratio,dfget_wall_s,node_cpu_s,peak_heap_bytes,"
        + "gcs"));
    for (PullRun.Result r : results) {
      md.add(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %.2f | %.0f | %.2f | %.2f | %.1f | %s | %d |",
          ByteSize.format(r.size()), r.curlSeconds(), mibps(r.size(), r.curlSeconds()), r.nodeSeconds(),
          mibps(r.size(), r.nodeSeconds()), r.ratio(), r.dfgetSeconds(), r.nodeCpuSeconds(),
          r.peakHeap() < 0 ? "unknown" : ByteSize.format(r.peakHeap()), r.collections()));
      csv.add(String.format(Locale.ROOT, "%d,%.3f,%.3f,%.3f,%.3f,%.2f,%d,%d", r.size(), r.curlSeconds(),
          r.nodeSeconds(), r.ratio(), r.dfgetSeconds(), r.nodeCpuSeconds(), r.peakHeap(), r.collections()));
    }
    md.add("");
    md.add("Best of " + repeat + " per system; ratio = node MiB/s / curl MiB/s (node pull = the node's own download "
        + "time, from its log; dfget wall adds dfget's and the node's JVM start). "
        + Runtime.getRuntime().availableProcessors() + " cores, JDK " + Runtime.version() + ".");
    Files.write(out.resolve("pull.md"), md);
    Files.write(out.resolve("pull.csv"), csv);
    md.forEach(System.out::println);
    System.out.println("pull: results in " + out);
    return 0;
  }

  private static double mibps(long size, double seconds) {
    return size / 1048576.0 / seconds;
  }
}
