package io.damselfly.e2e.demo;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Reaper;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.peer.NodeFile;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo behind {@code bin/demo}: a random file on a local origin, a supernode on free ports and N
 * dfget peers (own homes) downloading it at once; then every SHA-256 is checked and a table shows
 * where each peer's bytes came from. Everything it starts is stopped at the end, also on Ctrl-C.
 */
public final class Demo {
  private static final String PATH = "/demo.bin";
  /** JVM flags of the supernode and of the dfget processes, set by bin/demo (its launchers' flags and caches). */
  static final String SUPERNODE_JVM = "DAMSELFLY_DEMO_SUPERNODE_JVM";
  static final String DFGET_JVM = "DAMSELFLY_DEMO_DFGET_JVM";
  private static final Pattern DOWNLOADED_IN = Pattern.compile("downloaded .* in ([0-9.]+) s");
  /** Long enough for every peer to keep serving the others until all are done; the demo stops them. */
  private static final Duration KEEPALIVE = Duration.ofMinutes(2);

  private final DemoOptions options;
  private final PrintStream out;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private volatile boolean stopping;
  /** The supernode's start while it runs on its own thread; {@link #stop()} waits for it. */
  private volatile FutureTask<Started> starting;

  Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    Demo demo = new Demo(options, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-stop"));
    int code;
    try {
      code = demo.run();
    } catch (Exception e) {
      if (demo.stopping) {
        code = 130; // Ctrl-C: what failed then was stopped on purpose
      } else {
        System.err.println("demo: failed: " + e.getMessage());
        code = 1;
      }
    } finally {
      demo.cleanUp();
    }
    System.exit(code);
  }

  /** Runs the demo; 0 when every peer has the right bytes and the origin sent the file once. */
  int run() throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path work = Files.createDirectories(options.work());
    out.printf("Damselfly demo: %d peers download one %d MiB file at the same time.%n", options.peers(),
        options.sizeMiB());
    Path file = Files.createDirectories(work.resolve("origin")).resolve("demo.bin");
    Sandbox sandbox = open(Sandbox.in(work));
    // The supernode's JVM starts while this one writes the origin file; neither needs the other.
    FutureTask<Started> starting = new FutureTask<>(() -> startSupernode(sandbox));
    this.starting = starting;
    Thread.ofVirtual().name("supernode-start").start(starting);
    Digest sha256;
    OriginServer origin;
    try {
      sha256 = TestFiles.write(file, options.sizeBytes(), System.nanoTime());
      origin = open(OriginServer.start().serve(PATH, file));
    } catch (IOException | RuntimeException e) {
      awaitQuietly(starting); // a supernode that did start is then stopped with the rest
      throw e;
    }
    Started ready = await(starting);
    SupernodeProcess supernode = ready.process();
    double supernodeStart = ready.seconds();
    out.printf("  origin     %s  (%s)%n  supernode  api 127.0.0.1:%d, pieces 127.0.0.1:%d%n  work dir   %s%n%n",
        origin.url(PATH), sha256, supernode.apiPort(), supernode.piecePort(), work);

    Dfget dfget = new Dfget(options.dfgetJar(), sandbox, KEEPALIVE, Map.of(), jvmFlags(DFGET_JVM));
    List<Proc> peers = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    for (int i = 1; i <= options.peers(); i++) {
      Path output = sandbox.dir("peer-" + i + "-out").resolve("demo.bin");
      outputs.add(output);
      peers.add(open(dfget.start("peer-" + i, List.of("--url", origin.url(PATH), "--output", output.toString(),
          "--node", supernode.node()))));
    }
    List<Dfget.Result> results = new ArrayList<>();
    for (Proc p : peers) {
      results.add(Dfget.await(p));
    }
    if (stopping) {
      return 130;
    }

    TaskView task = supernode.taskFor(origin.url(PATH)).orElse(null);
    DemoReport report = new DemoReport(options.sizeBytes(), origin.bodyBytes(PATH));
    for (int i = 0; i < peers.size(); i++) {
      Dfget.Result r = results.get(i);
      boolean verified = r.exitCode() == 0 && Files.isRegularFile(outputs.get(i))
          && TestFiles.sha256(outputs.get(i)).equals(sha256);
      if (r.exitCode() != 0) {
        System.err.println("demo: " + r);
      }
      TaskView.PeerView view = peerView(task, sandbox.homeOf(r.name()));
      report.add(r.name(), view, r.elapsed(), verified);
    }
    report.print(out);
    printTimes(started, supernodeStart, results);
    return report.allGood() ? 0 : 1;
  }

  /** A supernode ready to serve, and the seconds from its start to its ready line. */
  private record Started(SupernodeProcess process, double seconds) {}

  private Started startSupernode(Sandbox sandbox) throws IOException, InterruptedException {
    long at = System.nanoTime();
    SupernodeProcess supernode = open(SupernodeProcess.start(options.supernodeJar(), sandbox.home("supernode"),
        sandbox.logDir(), jvmFlags(SUPERNODE_JVM), List.of()));
    return new Started(supernode, (System.nanoTime() - at) / 1e9);
  }

  /** The result of {@code task}, with its own exception when it failed. */
  private static <T> T await(FutureTask<T> task) throws IOException, InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case InterruptedException ie -> throw ie;
        case RuntimeException re -> throw re;
        case Error er -> throw er;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** Waits for {@code task} to end, whatever its outcome (the caller is failing already). */
  private static void awaitQuietly(FutureTask<?> task) {
    try {
      task.get();
    } catch (ExecutionException e) {
      // the caller's own failure is the one to report
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Where the time went: the supernode's start, and for the peers the download as their nodes measured it (the
   * summary line's "in N s") against dfget's whole run, the rest being start-up (dfget's JVM, the node's start).
   */
  private void printTimes(long started, double supernodeStart, List<Dfget.Result> results) {
    double total = (System.nanoTime() - started) / 1e9;
    double peers = results.stream().mapToDouble(r -> r.elapsed().toNanos() / 1e9).max().orElse(0);
    double download = results.stream().mapToDouble(Demo::downloadSeconds).max().orElse(0);
    out.printf(Locale.ROOT, "Time: %.1f s in all; supernode start %.1f s; peers %.1f s from start to the last file, of"
        + " which the longest download (as its node measured it) %.1f s and start-up (dfget, node) the rest.%n", total,
        supernodeStart, peers, download);
  }

  private static double downloadSeconds(Dfget.Result r) {
    Matcher m = DOWNLOADED_IN.matcher(r.stdout());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** JVM flags from the environment variable {@code name} (split on spaces), as bin/demo passes the launchers'. */
  private static List<String> jvmFlags(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
  }

  /** The supernode's record of the peer whose node runs in {@code home}, matched by its upload port. */
  private static TaskView.PeerView peerView(TaskView task, Path home) {
    if (task == null) {
      return null;
    }
    int port = NodeFile.read(home).map(NodeFile::uploadPort).orElse(-1);
    return task.peers().stream().filter(p -> p.port() == port).findFirst().orElse(null);
  }

  /**
   * Keeps {@code resource} to stop on clean-up. Once the demo is stopping (Ctrl-C), a resource that starts late
   * (the supernode starts on its own thread) is stopped at once, since the clean-up has run already.
   */
  private synchronized <T extends AutoCloseable> T open(T resource) {
    if (stopping) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("demo: cleaning up: " + e);
      }
      throw new IllegalStateException("the demo is stopping");
    }
    opened.add(resource);
    return resource;
  }

  /** On Ctrl-C or SIGTERM: no report, just stop everything. */
  private void stop() {
    synchronized (this) {
      stopping = true;
      if (!opened.isEmpty()) {
        System.err.println("demo: stopping the processes it started");
      }
      cleanUp();
    }
    // A supernode still starting is not among the opened yet: once ready, open() stops it. The JVM exits as soon
    // as its hooks end, which would leave that supernode running, so this hook waits for the start, outside the
    // lock open() takes.
    FutureTask<Started> pending = starting;
    if (pending != null) {
      awaitQuietly(pending);
    }
  }

  /**
   * Stops everything started (dfget processes, supernode, peer nodes, origin) all at once: no stop needs another
   * done first, so the slowest one alone sets how long this takes.
   */
  synchronized void cleanUp() {
    List<Thread> stops = new ArrayList<>();
    for (AutoCloseable resource : opened) {
      stops.add(Thread.ofVirtual().name("demo-close").start(() -> {
        try {
          resource.close();
        } catch (Exception e) {
          System.err.println("demo: cleaning up: " + e);
        }
      }));
    }
    opened.clear();
    Reaper.joinAll(stops);
  }
}
