package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Dirs;
import io.damselfly.benchmarks.net.LabNetwork;
import io.damselfly.benchmarks.net.LoopbackNetwork;
import io.damselfly.benchmarks.net.NamespaceNetwork;
import io.damselfly.benchmarks.net.Procs;
import io.damselfly.benchmarks.report.FluidBound;
import io.damselfly.benchmarks.report.ResultsWriter;
import io.damselfly.benchmarks.report.RunResult;
import io.damselfly.common.ByteSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lab invocation: builds the network for the largest N, runs every system at every N on the same file
 * and caps, checks every copy, and writes the results after each N. {@link #close()} (also from the
 * shutdown hook on Ctrl-C) stops every process and removes the network.
 */
public final class Lab implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
  private final LabConfig config;
  private final Tools tools;
  private final Path dir;
  private volatile LabNetwork net;
  private volatile Procs procs;
  private volatile boolean closed;

  public Lab(LabConfig config, Tools tools) {
    this.config = config;
    this.tools = tools;
    this.dir = config.out().resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
        .toAbsolutePath();
  }

  /** Where this invocation's results go. */
  public Path dir() {
    return dir;
  }

  /** Runs the sweep; returns every run's result. */
  public List<RunResult> run() throws Exception {
    Files.createDirectories(dir);
    LOG.info("lab results go to {}", dir);
    Workload file = Workload.create(dir.resolve("work").resolve("origin-files"), "file.bin", config.size(),
        config.seed());
    int hosts = config.maxN() + 2;
    String fallback = "";
    if (!config.loopback() && NamespaceNetwork.available()) {
      net = NamespaceNetwork.create(hosts, config.rateBits());
    } else {
      fallback = config.loopback() ? " (loopback forced by --loopback)"
          : " (network namespaces cannot be made here: not root, or no ip/tc; falling back to loopback)";
      LOG.warn("using loopback{}", fallback);
      net = new LoopbackNetwork(hosts);
    }
    if (closed) {
      throw new InterruptedException("stopped");
    }
    List<String> header = new ArrayList<>(List.of("# Damselfly distribution lab, " + dir.getFileName(), "",
        "- File: " + ByteSize.format(config.size()) + " of pseudo-random bytes, SHA-256 " + file.sha256().hex(),
        "- Network: " + net.describe() + fallback,
        "- Hosts: the origin (nginx; BitTorrent's tracker) and the supernode (BitTorrent's first seeder) on hosts "
            + "of their own with the same caps, plus N downloading hosts"));
    if (!tools.javaOpts().isEmpty() || !tools.nodeJavaOpts().isEmpty()) {
      header.add("- Damselfly JVM flags: launchers `" + tools.javaOpts() + "`, dfget's nodes `"
          + (tools.nodeJavaOpts().isEmpty() ? "-Xmx256m (dfget's default)" : tools.nodeJavaOpts()) + "`");
    }
    header.addAll(MachineInfo.describe());
    ResultsWriter writer = new ResultsWriter(dir, header);
    List<RunResult> results = new ArrayList<>();
    try {
      for (int n : config.sweep()) {
        for (String name : config.systems()) {
          if (closed) {
            throw new InterruptedException("stopped");
          }
          results.add(runOne(system(name), n, file));
        }
        writer.write(results, config.systems().stream().filter(s -> s.startsWith(DamselflySystem.NAME)).toList(),
            BitTorrentSystem.NAME);
      }
    } finally {
      Dirs.pruneLarge(dir.resolve("work")); // the master copy; the runs' copies went after each run
    }
    return results;
  }

  private RunResult runOne(LabSystem system, int n, Workload file) throws Exception {
    double rate = config.rateBytes();
    double bound = FluidBound.uniform(file.size(), n, rate);
    Duration limit = Duration.ofSeconds(60).plusMillis((long) (3000.0 * n * file.size() / rate));
    Path runDir = dir.resolve("work").resolve(system.name() + "-n" + n);
    LOG.info("{} with N={} (fluid bound {} s, limit {} s)", system.name(), n, String.format(Locale.ROOT, "%.2f",
        bound), limit.toSeconds());
    procs = new Procs();
    Trial trial = new Trial(net, n, file, runDir, procs, config.rateBits(), limit, tools);
    long tx0 = net.txBytes(net.host(system.sourceHost()));
    long[] cpu0 = MachineInfo.cpuTicks();
    Outcome outcome;
    try {
      outcome = system.run(trial);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.error("{} with N={} failed", system.name(), n, e);
      outcome = Outcomes.failed(trial, "run failed: " + e.getMessage());
    } finally {
      procs.close();
    }
    long tx1 = net.txBytes(net.host(system.sourceHost()));
    double busy = MachineInfo.busy(cpu0, MachineInfo.cpuTicks());
    String cpu = Double.isNaN(busy) ? "" : String.format(Locale.ROOT, "machine CPU %.0f%% busy during the run",
        100 * busy);
    String note = String.join("; ", java.util.stream.Stream.of(outcome.note(), cpu,
            cpuByRole(procs.cpuSeconds(), n, (double) n * file.size()))
        .filter(x -> !x.isBlank()).toList());
    List<Boolean> ok = Outcomes.verify(outcome, file);
    Dirs.pruneLarge(runDir);
    RunResult r = new RunResult(system.name(), n, file.size(), outcome.seconds(), ok, outcome.originBytes(),
        tx0 < 0 || tx1 < 0 ? -1 : tx1 - tx0, bound, note);
    // a host that ran out of time has no copy to check: say how many finished, not that digests were bad
    String copies = r.allDigestsMatch() ? "digests ok" : r.completion().finished() + "/" + n + " hosts finished, "
        + ok.stream().filter(b -> b).count() + " copies match";
    LOG.info("{} N={}: last {} s, efficiency {}, origin {} x size, {}", r.system(), n,
        String.format(Locale.ROOT, "%.2f", r.completion().last()), String.format(Locale.ROOT, "%.2f",
            r.efficiency()), String.format(Locale.ROOT, "%.3f", r.originRatio()), copies);
    Thread.sleep(1000); // let queues drain before the next run
    return r;
  }

  /**
   * "CPU seconds: dfget 3.1, node 40.2, ...; total 43.3 (21.7 per host), 169.2 per GiB delivered" for the run's
   * processes on {@code hosts} hosts that got {@code delivered} bytes in all; empty when none was measured.
   */
  static String cpuByRole(Map<String, Double> seconds, int hosts, double delivered) {
    if (seconds.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    seconds.forEach((role, s) -> parts.add(role + " " + String.format(Locale.ROOT, "%.1f", s)));
    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    return "CPU seconds: " + String.join(", ", parts) + String.format(Locale.ROOT,
        "; total %.1f (%.2f per host), %.1f per GiB delivered", total, total / hosts, total / (delivered / (1L << 30)));
  }

  private static LabSystem system(String name) {
    return switch (name) {
      case DirectSystem.NAME -> new DirectSystem();
      case BitTorrentSystem.NAME -> new BitTorrentSystem();
      case DamselflySystem.NAME -> new DamselflySystem(false);
      case DamselflySystem.DAEMON_NAME -> new DamselflySystem(true);
      default -> throw new IllegalArgumentException("unknown system " + name);
    };
  }

  /** Stops every process of the current run and removes the network. Safe to call twice, from any thread. */
  @Override
  public synchronized void close() {
    closed = true;
    Procs p = procs;
    if (p != null) {
      p.close();
    }
    LabNetwork n = net;
    if (n != null) {
      n.close();
      net = null;
    }
  }
}
