package io.damselfly.benchmarks.cluster;

import io.damselfly.benchmarks.lab.Tools;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One run: the origin's files, Redis and the supernodes, then the simulated peers arriving evenly over the
 * ramp; at {@code killAt} (or later, once every task has been registered) the supernode that accepted the most
 * tasks is killed with SIGKILL. The run ends when
 * every download finished or failed.
 */
final class ScaleRun {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private final ScaleConfig config;
  private final Tools tools;
  private final Path work;
  private volatile Supernodes started;

  /** What the run saw, for {@link ScaleReport}. */
  record Result(Recorder recorder, String victim, List<String> supernodes, int[] originRequests,
      double[] originCopies, long takeoverBytes, long takeoverRequests, Map<String, Double> cpuSeconds,
      double seconds) {}

  ScaleRun(ScaleConfig config, Tools tools, Path work) {
    this.config = config;
    this.tools = tools;
    this.work = work;
  }

  Result run() throws IOException, InterruptedException {
    List<Path> files = new ArrayList<>();
    Path originDir = Files.createDirectories(work.resolve("origin"));
    for (int t = 0; t < config.tasks(); t++) {
      Path f = originDir.resolve(name(t));
      TestFiles.write(f, config.fileSize(), 1000L + t);
      files.add(f);
    }
    Recorder rec;
    String victim;
    try (OriginServer origin = OriginServer.start();
        PieceServer pieces = new PieceServer();
        Supernodes cluster = Supernodes.start(tools, work, config.supernodes(), config.memberTtl(),
            config.supernodeHeap())) {
      started = cluster;
      for (int t = 0; t < config.tasks(); t++) {
        origin.serve("/" + name(t), files.get(t));
      }
      List<String> apis = cluster.apis();
      System.out.println("cluster: redis and " + apis.size() + " supernodes ready: " + String.join(", ", apis));
      rec = new Recorder(InstantSource.system(), config.tasks(), config.peers());
      try (SupernodeApi api = new SupernodeApi(REQUEST_TIMEOUT, rec)) {
        SimPeer.Shared shared = new SimPeer.Shared(api, rec, pieces, config);
        ExecutorService peers = Executors.newVirtualThreadPerTaskExecutor();
        try {
          victim = drive(peers, shared, origin, files, apis, cluster);
        } finally {
          peers.shutdownNow(); // ends the heart-beats of finished peers
          peers.awaitTermination(30, TimeUnit.SECONDS);
        }
      }
      int[] requests = new int[config.tasks()];
      double[] copies = new double[config.tasks()];
      for (int t = 0; t < config.tasks(); t++) {
        requests[t] = origin.requests("/" + name(t));
        copies[t] = origin.bodyBytes("/" + name(t)) / (double) config.fileSize();
      }
      double seconds = rec.now() / 1000.0;
      return new Result(rec, victim, apis, requests, copies, pieces.bytes(), pieces.requests(), cluster.cpuSeconds(),
          seconds);
    }
  }

  /** Stops Redis and the supernodes if they run (the JVM's shutdown hook, on Ctrl-C or SIGTERM). */
  void abort() {
    Supernodes s = started;
    if (s != null) {
      try {
        s.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String drive(ExecutorService peers, SimPeer.Shared shared, OriginServer origin, List<Path> files,
      List<String> apis, Supernodes cluster) throws InterruptedException {
    Recorder rec = shared.recorder();
    long rampMillis = config.ramp().toMillis();
    long killMillis = config.killAt().toMillis();
    String victim = null;
    for (int i = 0; i < config.peers(); i++) {
      long due = rampMillis * i / config.peers();
      if (victim == null && due >= killMillis && everyTaskOwned(rec)) {
        victim = kill(rec, cluster, apis);
      }
      long wait = due - rec.now();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      int task = i % config.tasks();
      List<String> list = new ArrayList<>(apis);
      java.util.Collections.rotate(list, -(i % apis.size())); // hosts list the supernodes in different orders
      SimPeer peer = new SimPeer(i, task, origin.url("/" + name(task)), files.get(task), list, shared);
      peers.submit(() -> {
        peer.run();
        return null;
      });
      if (i % 1000 == 999) {
        System.out.printf("cluster: %d peers started, %d finished, %d failed%n", i + 1, rec.finished(),
            rec.failures().size());
      }
    }
    while (victim == null) {
      Thread.sleep(Math.max(100, killMillis - rec.now()));
      if (everyTaskOwned(rec)) {
        victim = kill(rec, cluster, apis);
      }
    }
    long last = 0;
    while (rec.finished() + rec.failures().size() < config.peers()) {
      Thread.sleep(200);
      if (rec.now() - last >= 5000) {
        last = rec.now();
        System.out.printf("cluster: %d finished, %d failed of %d%n", rec.finished(), rec.failures().size(),
            config.peers());
      }
    }
    return victim;
  }

  /** Whether every task has been registered, so the kill hits a supernode that owns tasks under way. */
  private static boolean everyTaskOwned(Recorder rec) {
    for (int t = 0; t < rec.tasks(); t++) {
      if (rec.ownerBeforeKill(t) == null) {
        return false;
      }
    }
    return true;
  }

  /** Kills the supernode that accepted registrations for the most tasks so far. */
  private static String kill(Recorder rec, Supernodes cluster, List<String> apis) throws InterruptedException {
    Map<String, Integer> owned = new HashMap<>();
    for (int t = 0; t < rec.tasks(); t++) {
      String owner = rec.ownerBeforeKill(t);
      if (owner != null) {
        owned.merge(owner, 1, Integer::sum);
      }
    }
    String victim = owned.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse(apis.get(0));
    rec.killed();
    cluster.kill(victim);
    System.out.printf("cluster: killed supernode %s (SIGKILL) at %.1f s; it had %d of the tasks%n", victim,
        rec.killMillis() / 1000.0, owned.getOrDefault(victim, 0));
    return victim;
  }

  static String name(int task) {
    return String.format(java.util.Locale.ROOT, "file-%04d.bin", task);
  }
}
