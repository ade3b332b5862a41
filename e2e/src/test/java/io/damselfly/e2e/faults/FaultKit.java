package io.damselfly.e2e.faults;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.peer.NodeFile;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers of the fault tests: bounded waits, kill -9, and the counts the reliability report asks for. */
final class FaultKit {
  /** Bounds every wait, so a broken run fails instead of hanging; healthy runs never come near it. */
  static final Duration GUARD = Duration.ofSeconds(300);

  private FaultKit() {}

  /** Polls {@code probe} until it returns a present value; fails naming {@code what} after {@link #GUARD}. */
  static <T> T until(String what, Callable<Optional<T>> probe) throws Exception {
    long end = System.nanoTime() + GUARD.toNanos();
    while (true) {
      Optional<T> v = probe.call();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("waited " + GUARD + " for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** The supernode's task for {@code url}, once it has one. */
  static TaskView task(SupernodeProcess sn, String url) throws Exception {
    return until("a task for " + url, () -> sn.taskFor(url));
  }

  /** The peer of {@code task} uploading on {@code port}, if the supernode lists it. */
  static Optional<TaskView.PeerView> peer(TaskView task, int port) {
    return task.peers().stream().filter(p -> p.port() == port).findFirst();
  }

  /** The upload port of the peer node of {@code host}, once its node file exists. */
  static int uploadPort(Sandbox sandbox, String host) throws Exception {
    return until("the node of " + host, () -> NodeFile.read(sandbox.homeOf(host))).uploadPort();
  }

  /** SIGKILL: the host dies at once, its peer node (and dfget, if given) with it. */
  static void killHost(Sandbox sandbox, String host, Proc dfget) throws Exception {
    NodeFile node = NodeFile.read(sandbox.homeOf(host)).orElseThrow();
    kill9(ProcessHandle.of(node.pid()));
    if (dfget != null) {
      kill9(ProcessHandle.of(dfget.pid()));
    }
  }

  static void kill9(Optional<ProcessHandle> p) throws Exception {
    if (p.isPresent()) {
      p.get().destroyForcibly();
      p.get().onExit().get(GUARD.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Bytes of {@code outputs} that are not the expected file: the size of each wrong one. */
  static long wrongBytes(List<Path> outputs, Digest expected) throws IOException {
    long wrong = 0;
    for (Path out : outputs) {
      if (Files.exists(out) && !TestFiles.sha256(out).equals(expected)) {
        wrong += Files.size(out);
      }
    }
    return wrong;
  }

  /** Files in {@code dir} other than {@code complete} (a missing or wrong output there counts as well). */
  static int strayFiles(Path dir, Path... complete) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> expected = List.of(complete);
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(p -> !expected.contains(p)).count();
    }
  }

  /** Stray files next to each of {@code outputs} (see {@link #strayFiles}), summed. */
  static int strayFiles(List<Path> outputs) throws IOException {
    int n = 0;
    for (Path out : outputs) {
      n += strayFiles(out.getParent(), out);
    }
    return n;
  }

  /**
   * Starts {@code n} dfget hosts {@code tag-0 .. tag-(n-1)}, each with {@code args} and its own output
   * {@code <sandbox>/tag-out-i/f.bin}, which is added to {@code outputs}.
   */
  static List<Proc> start(Dfget dfget, Sandbox sandbox, String tag, int n, List<String> args, List<Path> outputs)
      throws IOException {
    List<Proc> procs = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Path out = sandbox.dir(tag + "-out-" + i).resolve("f.bin");
        outputs.add(out);
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--output", out.toString()));
        procs.add(dfget.start(tag + "-" + i, all));
      }
      return procs;
    } catch (IOException | RuntimeException e) {
      procs.forEach(Proc::close);
      throw e;
    }
  }

  /** Waits for every one of {@code procs} (bounded) and stops them all, also on failure. */
  static List<Dfget.Result> awaitAll(List<Proc> procs) throws InterruptedException {
    List<Dfget.Result> results = new ArrayList<>();
    try {
      for (Proc p : procs) {
        results.add(Dfget.await(p));
      }
      return results;
    } finally {
      procs.forEach(Proc::close);
    }
  }

  /** Files and directories below {@code dir}. */
  static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** 1 when the server process died without the test killing it, else 0. */
  static int crashed(SupernodeProcess sn) {
    return sn.proc().isAlive() ? 0 : 1;
  }
}
