package io.damselfly.e2e;

import io.damselfly.peer.NodeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops processes by PID: SIGTERM, then SIGKILL after a grace period. Also stops the background
 * peer node ({@code dfget server}) of a home, found through {@code <home>/data/node.json}.
 *
 * <p>A process has stopped once it is gone or a zombie: it exited and holds no port, file or memory any more,
 * only its exit status waits for its parent. A peer node's parent (dfget) has exited, so the node's parent is
 * init, which may collect that status a second or more later; and the JDK's {@link ProcessHandle#onExit()}
 * counts a zombie as alive and looks at a process that is not its child only every 300 ms and more. So the exit
 * of such a process is watched here: every 10 ms, zombies counted as stopped.
 */
public final class Reaper {
  /** Process start times are known to about a clock tick; file times to the millisecond. */
  private static final Duration CLOCK_SLACK = Duration.ofMillis(500);
  private static final long POLL_MILLIS = 10;
  private static final Path PROC = Path.of("/proc");

  private Reaper() {}

  /** Stops {@code p} if it is alive: SIGTERM, then SIGKILL once {@code grace} passed. */
  public static void stop(ProcessHandle p, Duration grace) {
    if (!p.isAlive() || p.pid() == ProcessHandle.current().pid()) {
      return;
    }
    p.destroy();
    try {
      if (!awaitExit(p, grace)) {
        p.destroyForcibly();
        awaitExit(p, grace);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until {@code p} has stopped (gone, or a zombie), at most {@code limit}. A child of this JVM is waited
   * for by the JDK, which collects its exit status at once; any other process is watched.
   *
   * @return true when it stopped, false when it still runs after {@code limit}
   */
  public static boolean awaitExit(ProcessHandle p, Duration limit) throws InterruptedException {
    if (p.parent().map(ProcessHandle::pid).orElse(-1L) == ProcessHandle.current().pid()) {
      try {
        p.onExit().get(limit.toNanos(), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot wait for process " + p.pid(), e);
      }
    }
    long deadline = System.nanoTime() + limit.toNanos();
    while (!stopped(p)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
    }
    return true;
  }

  /** True when {@code p} is gone or a zombie (state Z or X in Linux's {@code /proc/<pid>/stat}). */
  static boolean stopped(ProcessHandle p) {
    if (!p.isAlive()) {
      return true;
    }
    String stat;
    try {
      stat = Files.readString(PROC.resolve(Long.toString(p.pid())).resolve("stat"));
    } catch (NoSuchFileException e) {
      return Files.isDirectory(PROC); // it went away between the two looks
    } catch (IOException e) {
      return false; // no /proc (not Linux): isAlive alone tells
    }
    // "pid (comm) state ...": comm may hold spaces and parentheses, the state follows the last ')'
    int end = stat.lastIndexOf(')');
    if (end < 0 || end + 2 >= stat.length()) {
      return false;
    }
    char state = stat.charAt(end + 2);
    return state == 'Z' || state == 'X';
  }

  /**
   * Stops the peer node of {@code home} named by its node.json, if that process is alive and its
   * command line names the home (so a reused PID of an unrelated process is never touched).
   *
   * @return the PID stopped, if any
   */
  public static Optional<Long> stopNode(Path home, Duration grace) {
    Optional<NodeFile> file = NodeFile.read(home);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Optional<ProcessHandle> p = ProcessHandle.of(file.get().pid()).filter(h -> belongsTo(h, home));
    p.ifPresent(h -> stop(h, grace));
    return p.map(ProcessHandle::pid);
  }

  /**
   * True when {@code p} is the process that wrote the node file: its command line names the home, or
   * it started before the file was last written (a reused PID belongs to a process started after the
   * writer died, so after the file was written).
   */
  private static boolean belongsTo(ProcessHandle p, Path home) {
    String abs = home.toAbsolutePath().normalize().toString();
    if (p.info().commandLine().map(c -> c.contains(abs)).orElse(false)) {
      return true;
    }
    try {
      Instant written = Files.getLastModifiedTime(NodeFile.path(home)).toInstant();
      return p.info().startInstant().map(s -> !s.isAfter(written.plus(CLOCK_SLACK))).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits for every one of {@code stops} to end; an interrupt does not cut the wait short and is kept for after. */
  public static void joinAll(List<Thread> stops) {
    boolean interrupted = false;
    for (Thread t : stops) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish stopping, then keep the interrupt
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
