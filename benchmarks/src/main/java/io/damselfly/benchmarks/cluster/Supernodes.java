package io.damselfly.benchmarks.cluster;

import io.damselfly.benchmarks.lab.Tools;
import io.damselfly.benchmarks.net.Logs;
import io.damselfly.benchmarks.net.Procs;
import io.damselfly.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} and real supernode processes (the repository's {@code bin/supernode}) sharing it,
 * on random loopback ports. Closing stops them all by PID; {@link #kill} sends one SIGKILL.
 */
final class Supernodes implements AutoCloseable {
  private static final int READY_SECONDS = 120;
  private final RedisProcess redis;
  private final Procs procs = new Procs();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> apis = new ArrayList<>();

  private Supernodes(RedisProcess redis) {
    this.redis = redis;
  }

  /** Starts Redis and {@code count} supernodes in cluster {@code clusterId}; returns once all are ready. */
  static Supernodes start(Tools tools, Path work, int count, int memberTtl, String heap)
      throws IOException, InterruptedException {
    Supernodes s = new Supernodes(RedisProcess.start(work.resolve("redis")));
    try {
      Map<String, String> env = new HashMap<>(tools.env());
      env.put(Tools.JAVA_OPTS_ENV, (tools.javaOpts() + " -Xmx" + heap).trim());
      List<Path> logs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Path home = Files.createDirectories(work.resolve("supernode-" + i));
        Path log = home.resolve("supernode.out");
        logs.add(log);
        s.processes.add(s.procs.start(List.of(tools.bin("supernode").toString(), "--port", "0", "--download-port",
            "0", "--bind", "127.0.0.1", "--advertise-ip", "127.0.0.1", "--home", home.toString(), "--store",
            s.redis.uri(), "--cluster-id", "scale", "--member-ttl", Integer.toString(memberTtl),
            // no conditional re-checks during a run: every origin request the run counts is then a fetch
            "--revalidate-after", "86400"), log, env));
      }
      for (Path log : logs) {
        String ready = Logs.await(log, "supernode ready", READY_SECONDS);
        s.apis.add("127.0.0.1:" + Logs.number(ready, "api=(\\d+)").orElseThrow().intValue());
      }
      for (Path log : logs) {
        awaitMembers(log.resolveSibling("logs").resolve("supernode.log"), count);
      }
      return s;
    } catch (IOException | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Waits until the supernode logging to {@code log} sees all {@code count} members: peers arriving before the
   * membership has converged could find two members that each believe they own a task (each fetches it once).
   */
  private static void awaitMembers(Path log, int count) throws IOException, InterruptedException {
    long end = System.nanoTime() + READY_SECONDS * 1_000_000_000L;
    while (System.nanoTime() < end) {
      if (Files.exists(log)) {
        try (var lines = Files.lines(log)) {
          if (lines.filter(l -> l.contains("cluster members now: [")).reduce((a, b) -> b)
              .map(l -> l.substring(l.indexOf('[')).split(",").length).orElse(0) == count) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the supernode logging to " + log + " did not see " + count + " members");
  }

  /** Every supernode's API {@code host:port}, in start order. */
  List<String> apis() {
    return List.copyOf(apis);
  }

  /** Kills the supernode whose API is {@code api} with SIGKILL and waits until it is gone. */
  void kill(String api) throws InterruptedException {
    Process p = processes.get(apis.indexOf(api));
    p.destroyForcibly(); // SIGKILL on Linux
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("supernode " + api + " (pid " + p.pid() + ") survived SIGKILL");
    }
  }

  /** CPU seconds of the supernodes (sampled every second), by role. */
  Map<String, Double> cpuSeconds() {
    return procs.cpuSeconds();
  }

  @Override
  public void close() throws InterruptedException {
    procs.close();
    redis.close();
  }
}
