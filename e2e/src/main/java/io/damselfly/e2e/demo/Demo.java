package io.damselfly.e2e.demo;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Proc;
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

/**
 * The demo behind {@code bin/demo}: a random file on a local origin, a supernode on free ports and N
 * dfget peers (own homes) downloading it at once; then every SHA-256 is checked and a table shows
 * where each peer's bytes came from. Everything it starts is stopped at the end, also on Ctrl-C.
 */
public final class Demo {
  private static final String PATH = "/demo.bin";
  /** Long enough for every peer to keep serving the others until all are done; the demo stops them. */
  private static final Duration KEEPALIVE = Duration.ofMinutes(2);

  private final DemoOptions options;
  private final PrintStream out;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private volatile boolean stopping;

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
      System.err.println("demo: failed: " + e.getMessage());
      code = 1;
    } finally {
      demo.cleanUp();
    }
    System.exit(code);
  }

  /** Runs the demo; 0 when every peer has the right bytes and the origin sent the file once. */
  int run() throws IOException, InterruptedException {
    Path work = Files.createDirectories(options.work());
    out.printf("Damselfly demo: %d peers download one %d MiB file at the same time.%n", options.peers(),
        options.sizeMiB());
    Path file = Files.createDirectories(work.resolve("origin")).resolve("demo.bin");
    Digest sha256 = TestFiles.write(file, options.sizeBytes(), System.nanoTime());
    OriginServer origin = open(OriginServer.start().serve(PATH, file));
    Sandbox sandbox = open(Sandbox.in(work));
    SupernodeProcess supernode = open(SupernodeProcess.start(options.supernodeJar(), sandbox.home("supernode"),
        sandbox.logDir(), List.of()));
    out.printf("  origin     %s  (%s)%n  supernode  api 127.0.0.1:%d, pieces 127.0.0.1:%d%n  work dir   %s%n%n",
        origin.url(PATH), sha256, supernode.apiPort(), supernode.piecePort(), work);

    Dfget dfget = new Dfget(options.dfgetJar(), sandbox, KEEPALIVE);
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
    return report.allGood() ? 0 : 1;
  }

  /** The supernode's record of the peer whose node runs in {@code home}, matched by its upload port. */
  private static TaskView.PeerView peerView(TaskView task, Path home) {
    if (task == null) {
      return null;
    }
    int port = NodeFile.read(home).map(NodeFile::uploadPort).orElse(-1);
    return task.peers().stream().filter(p -> p.port() == port).findFirst().orElse(null);
  }

  private synchronized <T extends AutoCloseable> T open(T resource) {
    opened.add(resource);
    return resource;
  }

  /** On Ctrl-C or SIGTERM: no report, just stop everything. */
  private synchronized void stop() {
    stopping = true;
    if (!opened.isEmpty()) {
      System.err.println("demo: stopping the processes it started");
    }
    cleanUp();
  }

  /** Stops everything started, newest first (dfget processes, supernode, peer nodes, origin). */
  synchronized void cleanUp() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        System.err.println("demo: cleaning up: " + e);
      }
    }
    opened.clear();
  }
}
