package io.damselfly.e2e;

import io.damselfly.peer.NodeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops processes by PID: SIGTERM, then SIGKILL after a grace period. Also stops the background
 * peer node ({@code dfget server}) of a home, found through {@code <home>/data/node.json}.
 */
public final class Reaper {
  /** Process start times are known to about a clock tick; file times to the millisecond. */
  private static final Duration CLOCK_SLACK = Duration.ofMillis(500);

  private Reaper() {}

  /** Stops {@code p} if it is alive: SIGTERM, then SIGKILL once {@code grace} passed. */
  public static void stop(ProcessHandle p, Duration grace) {
    if (!p.isAlive() || p.pid() == ProcessHandle.current().pid()) {
      return;
    }
    p.destroy();
    try {
      p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      p.destroyForcibly();
      p.onExit().completeOnTimeout(p, grace.toMillis(), TimeUnit.MILLISECONDS).join();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
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
}
