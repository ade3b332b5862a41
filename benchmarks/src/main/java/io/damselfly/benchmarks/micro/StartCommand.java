package io.damselfly.benchmarks.micro;

import io.damselfly.benchmarks.LabMain;
import io.damselfly.benchmarks.lab.MachineInfo;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/lab start}: the start-up figures of the launchers, with and without their start-up caches
 * ({@code DAMSELFLY_CACHE}): CPU seconds (user + sys) and wall time from start to ready of a supernode, a dfdaemon
 * and a dfget node, and of a dfget handing a 1 MiB download to a running node; medians of {@code --repeat} runs.
 */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Start-up of the launchers (bin/supernode, bin/dfdaemon, bin/dfget server, a bin/dfget hand-over of "
        + "1 MiB to a running node) with and without their start-up caches: CPU s (user+sys) and wall s, medians. "
        + "Writes results/micro/start-<timestamp>/results.md.")
public final class StartCommand implements Callable<Integer> {
  private static final double TICK = 100.0; // USER_HZ of /proc/<pid>/stat
  private static final Duration LIMIT = Duration.ofMinutes(2);

  @Option(names = "--repeat", description = "Runs per figure; the median counts (default: ${DEFAULT-VALUE}).")
  int repeat = 5;

  @ParentCommand
  LabMain lab;

  /** One figure: medians of CPU and wall seconds. */
  record Figure(String what, String cache, double cpu, double wall) {}

  @Override
  public Integer call() throws Exception {
    if (repeat < 1) {
      System.err.println("start: --repeat must be >= 1");
      return 2;
    }
    if (!caches()) {
      System.err.println("start: no fresh start-up caches for these jars; run bin/build (it trains them) first");
      return 1;
    }
    Path out = MicroDirs.create(lab, "start");
    Path work = Files.createDirectories(out.resolve("work"));
    List<String> machine = MachineInfo.describe();
    List<Figure> figures = new ArrayList<>();
    Path file = work.resolve("f.bin");
    TestFiles.write(file, 1 << 20, 3);
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file)) {
      for (String cache : List.of("use", "off")) {
        figures.add(ready("supernode", cache, work, List.of(bin("supernode"), "--port", "0", "--download-port", "0",
            "--bind", "127.0.0.1", "--home", "%h"), "supernode ready api="));
        figures.add(ready("dfdaemon", cache, work, List.of(bin("dfdaemon"), "--port", "0", "--upload-port", "0",
            "--home", "%h"), "dfdaemon ready port="));
        figures.add(ready("node (dfget server)", cache, work, List.of(bin("dfget"), "server", "--home", "%h",
            "--keepalive", "0"), "dfget server ready:"));
        figures.add(handOver(cache, work, origin.url("/f.bin")));
      }
    }
    List<String> md = new ArrayList<>(List.of("# Start-up (bin/lab start)", "", "Medians of " + repeat + " runs.", ""));
    md.addAll(machine);
    md.add("- Load average at the end: " + Files.readString(Path.of("/proc/loadavg")).strip());
    md.addAll(List.of("", "| What | Cache | CPU s (user+sys) | Wall s |", "|---|---|---:|---:|"));
    for (Figure f : figures) {
      md.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f |", f.what(), f.cache().equals("use") ? "yes" : "no",
          f.cpu(), f.wall()));
    }
    md.addAll(List.of("", "Targets: a node's start to ready with the cache <= 1.0 CPU s; a dfget hand-over of 1 MiB "
        + "<= 0.3 CPU s and <= 0.5 s wall."));
    Files.write(out.resolve("results.md"), md, StandardCharsets.UTF_8);
    md.forEach(System.out::println);
    System.out.println();
    System.out.println("start: wrote " + out.resolve("results.md"));
    return 0;
  }

  /** Starts {@code command} ({@code %h}: a fresh home) until it prints {@code readyLine}; CPU at that moment. */
  private Figure ready(String what, String cache, Path work, List<String> command, String readyLine)
      throws Exception {
    List<Double> cpu = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      Path home = Files.createTempDirectory(work, what.replaceAll("\\W", "") + "-");
      Path log = home.resolve("out.log");
      List<String> cmd = command.stream().map(a -> a.equals("%h") ? home.toString() : a).toList();
      long start = System.nanoTime();
      Process p = process(cmd, cache, log, home);
      try {
        awaitLine(p, log, readyLine);
        wall.add((System.nanoTime() - start) / 1e9);
        cpu.add(cpuSeconds(p.pid()));
      } finally {
        p.destroy();
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    return new Figure(what + ", start to ready", cache, median(cpu), median(wall));
  }

  /** A dfget handing a 1 MiB download to a node started beforehand; CPU of the whole dfget process. */
  private Figure handOver(String cache, Path work, String url) throws Exception {
    Path home = Files.createTempDirectory(work, "handover-");
    Path nodeLog = home.resolve("node.log");
    Process node = process(List.of(bin("dfget"), "server", "--home", home.resolve("dfget").toString(), "--keepalive",
        "0"), cache, nodeLog, home);
    List<Double> cpu = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    try {
      awaitLine(node, nodeLog, "dfget server ready:");
      for (int i = 0; i < repeat; i++) {
        Path output = home.resolve("out-" + i + ".bin");
        long[] before = childTicks();
        long start = System.nanoTime();
        Process dfget = process(List.of(bin("dfget"), "-u", url, "-o", output.toString(), "--home",
            home.resolve("dfget").toString(), "--no-daemon"), cache, home.resolve("dfget-" + i + ".log"), home);
        if (!dfget.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS) || dfget.exitValue() != 0) {
          dfget.destroyForcibly();
          throw new IOException("dfget failed: " + Files.readString(home.resolve("dfget-" + i + ".log")));
        }
        wall.add((System.nanoTime() - start) / 1e9);
        long[] after = childTicks();
        cpu.add(((after[0] - before[0]) + (after[1] - before[1])) / TICK);
      }
    } finally {
      node.destroy();
      node.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }
    return new Figure("dfget hand-over of 1 MiB to a running node", cache, median(cpu), median(wall));
  }

  private Process process(List<String> cmd, String cache, Path log, Path home) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).directory(home.toFile());
    Map<String, String> env = new HashMap<>(lab.tools().env());
    env.put("DAMSELFLY_CACHE", cache);
    env.put("DAMSELFLY_CONF", home.resolve("none.conf").toString());
    env.put("HOME", home.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** True when bin/lib/caches.sh finds a cache for each program's jar as it is now. */
  private boolean caches() throws Exception {
    Path repo = lab.tools().repo();
    String check = "source bin/lib/java.sh; for s in dfget:cli/target/damselfly-dfget.jar "
        + "dfget-server:cli/target/damselfly-dfget.jar supernode:supernode/target/damselfly-supernode.jar "
        + "dfdaemon:dfdaemon/target/damselfly-dfdaemon.jar; do "
        + "[[ -s \"$(damselfly_cache_file \"${s%%:*}\" \"${s#*:}\")\" ]] || exit 1; done";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", check).directory(repo.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(lab.tools().env());
    return pb.start().waitFor() == 0;
  }

  private String bin(String name) {
    return lab.tools().bin(name).toString();
  }

  private static void awaitLine(Process p, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    Pattern ready = Pattern.compile(Pattern.quote(line));
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && ready.matcher(Files.readString(log, StandardCharsets.UTF_8)).find()) {
        return;
      }
      if (!p.isAlive()) {
        throw new IOException(String.join(" ", p.info().commandLine().orElse("process")) + " exited: "
            + Files.readString(log));
      }
      Thread.sleep(5);
    }
    throw new IOException("no '" + line + "' within " + LIMIT + ": " + Files.readString(log));
  }

  /** utime + stime of a live process, in seconds. */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK;
  }

  /** This JVM's reaped children's utime and stime, in ticks. */
  private static long[] childTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[13]), Long.parseLong(f[14])};
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
