package io.damselfly.benchmarks.micro;

import io.damselfly.benchmarks.lab.Nginx;
import io.damselfly.benchmarks.lab.Tools;
import io.damselfly.benchmarks.net.Logs;
import io.damselfly.benchmarks.net.Procs;
import io.damselfly.common.Digest;
import io.damselfly.peer.NodeFile;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** The steps of {@code bin/lab pull}: a warm supernode, curl pulls and dfget pulls, each checked and timed. */
final class PullRun {
  private static final int READY_SECONDS = 60;
  private static final long PULL_LIMIT_MINUTES = 10;
  private static final String NODE_DONE = "downloaded ";
  private final Tools tools;
  private final Procs procs;
  private final Path work;
  private final String heapFlag;
  private final boolean jfr;
  private int homes;

  /**
   * What one file size measured.
   *
   * @param curlSeconds curl's best wall time
   * @param nodeSeconds the pulling node's best download time, from its own log
   * @param dfgetSeconds dfget's wall time in that best run (JVM starts included)
   * @param peakHeap the largest peak heap of the node over the runs, bytes; -1 when its GC log showed none
   * @param nodeCpuSeconds the node's CPU time in that best run (start-up included), seconds; NaN when unknown
   */
  record Result(long size, double curlSeconds, double nodeSeconds, double dfgetSeconds, long peakHeap,
      int collections, double nodeCpuSeconds) {
    double ratio() {
      return curlSeconds / nodeSeconds;
    }
  }

  PullRun(Tools tools, Procs procs, Path work, String heapFlag, boolean jfr) {
    this.tools = tools;
    this.procs = procs;
    this.work = work;
    this.heapFlag = heapFlag;
    this.jfr = jfr;
  }

  /** A free loopback port for a server that cannot take port 0 (nginx). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts a supernode on random loopback ports; returns its API endpoint. */
  String startSupernode() throws IOException, InterruptedException {
    Path home = Files.createDirectories(work.resolve("supernode"));
    Path log = home.resolve("supernode.out");
    procs.start(List.of(tools.bin("supernode").toString(), "--port", "0", "--download-port", "0", "--home",
        home.toString(), "--advertise-ip", "127.0.0.1"), log, tools.env());
    String ready = Logs.await(log, "supernode ready", READY_SECONDS);
    return "127.0.0.1:" + Logs.number(ready, "api=(\\d+)").orElseThrow().intValue();
  }

  Result measure(Nginx nginx, Path origin, long size, String supernode, int repeat) throws Exception {
    String name = "file-" + size + ".bin";
    Digest sha = TestFiles.write(origin.resolve(name), size, size);
    String url = nginx.url(name);
    pull(url, supernode, sha, size); // warms the supernode's CDN; that node is stopped before the measured pulls
    double curl = Double.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      curl = Math.min(curl, curl(url, sha, size));
    }
    double[] best = {Double.MAX_VALUE, 0, Double.NaN};
    long peak = -1;
    int gcs = 0;
    for (int i = 0; i < repeat; i++) {
      Pull p = pull(url, supernode, sha, size);
      if (p.nodeSeconds < best[0]) {
        best = new double[] {p.nodeSeconds, p.wallSeconds, p.cpuSeconds};
      }
      List<String> gc = Files.readAllLines(p.home.resolve("gc.log"));
      OptionalLong runPeak = GcLog.peakBytes(gc);
      peak = Math.max(peak, runPeak.orElse(-1));
      gcs = Math.max(gcs, GcLog.collections(gc));
    }
    return new Result(size, curl, best[0], best[1], peak, gcs, best[2]);
  }

  private double curl(String url, Digest sha, long size) throws Exception {
    Path out = work.resolve("curl.out");
    long t0 = System.nanoTime();
    Process p = procs.start(List.of("curl", "-sS", "-f", "-o", out.toString(), url), work.resolve("curl.log"),
        Map.of());
    await(p, "curl");
    double seconds = (System.nanoTime() - t0) / 1e9;
    check(out, sha, size, "curl");
    return seconds;
  }

  private record Pull(Path home, double nodeSeconds, double wallSeconds, double cpuSeconds) {}

  private Pull pull(String url, String supernode, Digest sha, long size) throws Exception {
    Path home = Files.createDirectories(work.resolve("home-" + (++homes)));
    Path out = home.resolve("file.out");
    Map<String, String> env = new HashMap<>(tools.env());
    String opts = (tools.nodeJavaOpts() + " " + heapFlag).trim() + " -Xlog:gc,gc+heap+exit:file="
        + home.resolve("gc.log");
    if (jfr) {
      opts += " -XX:StartFlightRecording=filename=" + home.resolve("node.jfr") + ",settings=profile,dumponexit=true";
    }
    env.put(Tools.NODE_OPTS_ENV, opts);
    List<String> argv = new ArrayList<>(List.of(tools.bin("dfget").toString(), "--url", url, "--output",
        out.toString(), "--node", supernode, "--home", home.toString(), "--pattern", "cdn", "--no-daemon",
        "--keepalive", "2m", "--advertise-ip", "127.0.0.1"));
    long t0 = System.nanoTime();
    Process p = procs.start(argv, home.resolve("dfget.out"), env);
    await(p, "dfget");
    double wall = (System.nanoTime() - t0) / 1e9;
    check(out, sha, size, "dfget");
    Files.delete(out);
    String line = Logs.find(home.resolve("logs").resolve("dfget-server.log"), NODE_DONE).orElseThrow(() ->
        new IllegalStateException("the node of " + home + " logged no '" + NODE_DONE + "' line"));
    double node = Logs.number(line, " in (\\d+(?:\\.\\d+)?) s").orElseThrow();
    return new Pull(home, node, wall, stopNode(home));
  }

  /**
   * Stops the node dfget started for {@code home} (by its PID), so its GC log is complete; returns the CPU
   * seconds it used, NaN when unknown.
   */
  private static double stopNode(Path home) {
    double cpu = Double.NaN;
    java.util.Optional<NodeFile> node = NodeFile.read(home);
    if (node.isPresent()) {
      cpu = ProcessHandle.of(node.get().pid()).flatMap(h -> h.info().totalCpuDuration())
          .map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
      Procs.killAll(List.of(node.get().pid()));
    }
    return cpu;
  }

  private static void await(Process p, String what) throws InterruptedException {
    if (!p.waitFor(PULL_LIMIT_MINUTES, TimeUnit.MINUTES)) {
      throw new IllegalStateException(what + " did not finish within " + PULL_LIMIT_MINUTES + " minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(what + " exited with code " + p.exitValue());
    }
  }

  private static void check(Path out, Digest sha, long size, String what) throws IOException {
    if (!Files.isRegularFile(out) || Files.size(out) != size || !TestFiles.sha256(out).equals(sha)) {
      throw new IllegalStateException(what + "'s copy " + out + " is missing, short or has the wrong SHA-256");
    }
  }
}
