package io.damselfly.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process started by the harness. Its stdout and stderr go to files (never a pipe that could fill
 * up); waits are bounded so a hung process fails the run instead of hanging it; {@link #close()}
 * stops it and the children it has at that moment: SIGTERM, then SIGKILL after a grace period.
 */
public final class Proc implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 25;

  private final Launch launch;
  private final Process process;
  private final long startedNanos;
  private volatile long exitedNanos;

  private Proc(Launch launch, Process process, long startedNanos) {
    this.launch = launch;
    this.process = process;
    this.startedNanos = startedNanos;
    process.onExit().thenRun(() -> exitedNanos = System.nanoTime());
  }

  /** Starts {@code launch}; stdout and stderr are written to files in its log directory. */
  public static Proc start(Launch launch) throws IOException {
    Files.createDirectories(launch.logDir());
    ProcessBuilder pb = new ProcessBuilder(launch.command())
        .redirectOutput(launch.stdoutFile().toFile())
        .redirectError(launch.stderrFile().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(launch.env());
    long started = System.nanoTime();
    return new Proc(launch, pb.start(), started);
  }

  /** A started server and the match of its ready line. */
  public record Ready(Proc proc, Matcher line) {}

  /**
   * Starts {@code launch} and waits for its ready line (as {@link #awaitLine}); the process is stopped
   * when it does not get ready.
   */
  public static Ready startReady(Launch launch, Pattern readyLine, Duration limit)
      throws IOException, InterruptedException {
    Proc proc = start(launch);
    try {
      return new Ready(proc, proc.awaitLine(readyLine, limit));
    } catch (RuntimeException | InterruptedException e) {
      proc.close();
      throw e;
    }
  }

  public String name() {
    return launch.name();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for a stdout line matching {@code pattern} and returns its match.
   *
   * @throws IllegalStateException when the process exits first or {@code limit} passes, with its output
   */
  public Matcher awaitLine(Pattern pattern, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      for (String line : stdout().split("\n", -1)) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (exited) {
        throw new IllegalStateException(name() + " exited with " + process.exitValue() + " before printing a line "
            + "matching '" + pattern + "'\n" + describe());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name() + " printed no line matching '" + pattern + "' within " + limit
            + "\n" + describe());
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * Waits for the process to exit and returns its exit code.
   *
   * @throws IllegalStateException when it is still running after {@code limit} (it is then stopped)
   */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new IllegalStateException(name() + " did not exit within " + limit + "\n" + describe());
    }
    return process.exitValue();
  }

  /** Wall time from start to exit, or to now while it runs. */
  public Duration elapsed() {
    long end = process.isAlive() || exitedNanos == 0 ? System.nanoTime() : exitedNanos;
    return Duration.ofNanos(end - startedNanos);
  }

  public String stdout() {
    return read(launch.stdoutFile());
  }

  public String stderr() {
    return read(launch.stderrFile());
  }

  /** The command and the tails of both outputs, for failure messages. */
  public String describe() {
    return "command: " + String.join(" ", launch.command()) + "\n--- stdout (" + launch.stdoutFile() + ")\n"
        + tail(stdout()) + "\n--- stderr (" + launch.stderrFile() + ")\n" + tail(stderr());
  }

  /** Stops the process and the children it has now: SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    Reaper.stop(process.toHandle(), GRACE);
    for (ProcessHandle child : children) {
      Reaper.stop(child, GRACE);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String tail(String text) {
    int max = 4000;
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }
}
