package io.damselfly.benchmarks.micro;

import io.damselfly.benchmarks.LabMain;
import io.damselfly.benchmarks.net.Logs;
import io.damselfly.benchmarks.net.Procs;
import io.damselfly.benchmarks.net.ThreadCpu;
import io.damselfly.common.ByteSize;
import io.damselfly.testing.registry.OciImage;
import io.damselfly.testing.registry.RegistryProcess;
import io.damselfly.testing.registry.Skopeo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/lab image}: a cold image pull through dfdaemon against skopeo's direct pull from the same registry.
 * Every round pushes an image of new layers (new digests: nothing cached anywhere), pulls it with skopeo
 * straight from the registry and through a warm dfdaemon (supernode and daemon running, a warm-up round
 * first), and fetches one tiny blob of a new image both ways to show what a blob costs beyond its bytes.
 */
@Command(name = "image", mixinStandardHelpOptions = true, sortOptions = false,
    description = "skopeo pulling an image of new layers straight from a registry and through a warm dfdaemon; "
        + "and one tiny blob both ways. Writes results/micro/image-<timestamp>/.")
public final class ImageCommand implements Callable<Integer> {
  private static final String MIRROR_NAME = "harbor.local";
  private static final int TINY_BYTES = 100;

  @Option(names = "--layers", description = "Layers per image (default: ${DEFAULT-VALUE}).")
  int layers = 10;

  @Option(names = "--layer-size", description = "Bytes in each layer's file (default: ${DEFAULT-VALUE}).")
  String layerSize = "1M";

  @Option(names = "--repeat", description = "Measured rounds, each with new images (default: ${DEFAULT-VALUE}).")
  int repeat = 3;

  @ParentCommand
  LabMain lab;

  private record Round(double direct, double mirror, double tinyDirect, double tinyMirror, double layerDirect,
      double layerMirror) {}

  @Override
  public Integer call() throws Exception {
    long size = ByteSize.parse("--layer-size", layerSize);
    if (repeat < 1 || layers < 1) {
      System.err.println("image: --repeat and --layers must be >= 1");
      return 2;
    }
    Path out = MicroDirs.create(lab, "image");
    Path work = out.resolve("work");
    List<Round> rounds = new ArrayList<>();
    Map<String, Double> cpuBefore;
    Map<String, Double> cpuAfter;
    String threads;
    try (Procs procs = new Procs(); RegistryProcess registry = RegistryProcess.start(work.resolve("registry"));
        HttpClient http = HttpClient.newHttpClient()) {
      Thread hook = new Thread(procs::close, "image-teardown");
      Runtime.getRuntime().addShutdownHook(hook);
      Skopeo skopeo = new Skopeo(work.resolve("skopeo"));
      String supernode = new PullRun(lab.tools(), procs, work, "", false).startSupernode();
      int port = PullRun.freePort();
      Path home = Files.createDirectories(work.resolve("dfdaemon"));
      Path log = home.resolve("dfdaemon.out");
      Process daemon = procs.start(List.of(lab.tools().bin("dfdaemon").toString(), "--port", Integer.toString(port),
          "--node", supernode, "--home", home.toString(), "--registry", registry.url(), "--advertise-ip", "127.0.0.1"),
          log, lab.tools().env());
      Logs.await(log, "dfdaemon ready", 60);
      String mirror = "127.0.0.1:" + port;
      Path viaMirror = skopeo.registriesConf("mirror.conf", MIRROR_NAME, mirror);
      Path direct = Files.writeString(work.resolve("direct.conf"),
          "[[registry]]\nlocation = \"" + registry.hostPort() + "\"\ninsecure = true\n");
      long seed = System.nanoTime();
      round(work, skopeo, registry, http, viaMirror, direct, mirror, size, seed); // warm-up, not counted
      long daemonPid = javaPid(daemon);
      long supernodePid = javaPid(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
          .contains("damselfly-supernode.jar") && p.info().commandLine().orElse("").contains(work.toString()))
          .findFirst().orElseThrow());
      Map<String, Double> daemonThreads = ThreadCpu.snapshot(daemonPid);
      Map<String, Double> supernodeThreads = ThreadCpu.snapshot(supernodePid);
      cpuBefore = procs.cpuSeconds();
      for (int i = 1; i <= repeat; i++) {
        rounds.add(round(work, skopeo, registry, http, viaMirror, direct, mirror, size, seed + i));
      }
      cpuAfter = procs.cpuSeconds();
      threads = "Threads of the dfdaemon (CPU s): " + ThreadCpu.delta(daemonThreads, ThreadCpu.snapshot(daemonPid))
          + ".\n\nThreads of the supernode (CPU s): " + ThreadCpu.delta(supernodeThreads, ThreadCpu.snapshot(supernodePid))
          + ".";
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    List<String> md = new ArrayList<>(List.of("| Round | skopeo direct (s) | skopeo via dfdaemon (s) | Ratio | "
        + "tiny blob direct (ms) | tiny blob via dfdaemon (ms) | Added (ms) | one layer direct (ms) | one layer via "
        + "dfdaemon (ms) |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"));
    for (int i = 0; i < rounds.size(); i++) {
      Round r = rounds.get(i);
      md.add(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f |", i + 1, r.direct,
          r.mirror, r.mirror / r.direct, r.tinyDirect, r.tinyMirror, r.tinyMirror - r.tinyDirect, r.layerDirect,
          r.layerMirror));
    }
    double d = median(rounds.stream().mapToDouble(Round::direct).toArray());
    double m = median(rounds.stream().mapToDouble(Round::mirror).toArray());
    double added = median(rounds.stream().mapToDouble(r -> r.tinyMirror - r.tinyDirect).toArray());
    md.add(String.format(Locale.ROOT, "| median | %.2f | %.2f | **%.2f** | | | **%.1f** | | |", d, m, m / d, added));
    md.add("");
    md.add(String.format(Locale.ROOT, "%d layers of %s each (new digests every round), skopeo copy to dir:, warm "
        + "supernode and dfdaemon; tiny blob and one layer: one GET of a new %d-byte layer, and of a new layer of the layer size. CPU s over the measured rounds: "
        + "dfdaemon %.2f, supernode %.2f. %d cores, JDK %s, load average at the end %.2f.", layers,
        ByteSize.format(size), TINY_BYTES, delta(cpuBefore, cpuAfter, "dfdaemon"), delta(cpuBefore, cpuAfter,
            "supernode"), Runtime.getRuntime().availableProcessors(), Runtime.version(), loadAverage()));
    md.add("");
    md.add(threads);
    Files.write(out.resolve("image.md"), md);
    md.forEach(System.out::println);
    System.out.println("image: results in " + out);
    return 0;
  }

  private Round round(Path work, Skopeo skopeo, RegistryProcess registry, HttpClient http, Path viaMirror,
      Path direct, String mirror, long size, long seed) throws Exception {
    long[] sizes = new long[layers];
    Arrays.fill(sizes, size);
    String tag = "r" + Long.toHexString(seed);
    OciImage image = OciImage.random(work.resolve("image-" + tag), tag, seed, sizes);
    OciImage tiny = OciImage.random(work.resolve("tiny-" + tag), tag, ~seed, TINY_BYTES);
    OciImage one = OciImage.random(work.resolve("one-" + tag), tag, seed ^ 0x5DEECE66DL, size);
    skopeo.push(image, registry.hostPort(), "bench/app", null, null);
    skopeo.push(tiny, registry.hostPort(), "bench/tiny", null, null);
    skopeo.push(one, registry.hostPort(), "bench/one", null, null);
    double d = timed(() -> skopeo.pull(direct, null, registry.hostPort() + "/bench/app:" + tag,
        work.resolve("out-direct-" + tag)));
    double m = timed(() -> skopeo.pull(viaMirror, null, MIRROR_NAME + "/bench/app:" + tag,
        work.resolve("out-mirror-" + tag)));
    String blob = "/v2/bench/tiny/blobs/" + tiny.layers().get(0);
    double td = timed(() -> get(http, registry.url() + blob)) * 1000;
    double tm = timed(() -> get(http, "http://" + mirror + blob)) * 1000;
    String layer = "/v2/bench/one/blobs/" + one.layers().get(0);
    double ld = timed(() -> get(http, registry.url() + layer)) * 1000;
    double lm = timed(() -> get(http, "http://" + mirror + layer)) * 1000;
    return new Round(d, m, td, tm, ld, lm);
  }

  private static Object get(HttpClient http, String url) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
    return r;
  }

  @FunctionalInterface
  private interface Step {
    Object run() throws Exception;
  }

  private static double timed(Step step) throws Exception {
    long t0 = System.nanoTime();
    step.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String role) {
    return after.getOrDefault(role, 0.0) - before.getOrDefault(role, 0.0);
  }

  /** The JVM under a launcher script: the process itself, or its one java descendant. */
  private static long javaPid(Process p) {
    return javaPid(p.toHandle());
  }

  private static long javaPid(ProcessHandle h) {
    if (h.info().command().orElse("").endsWith("java")) {
      return h.pid();
    }
    return h.descendants().filter(d -> d.info().command().orElse("").endsWith("java")).findFirst()
        .map(ProcessHandle::pid).orElse(h.pid());
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
