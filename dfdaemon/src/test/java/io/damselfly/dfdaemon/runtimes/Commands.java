package io.damselfly.dfdaemon.runtimes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the runtimes' command-line tools as child processes, each with its output in a log file of its own. */
final class Commands {
  static final String INSTALL = "apt-get install -y containerd podman";
  private static final long TIMEOUT_SECONDS = 300;
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  record Result(List<String> command, int exitCode, String output) {
    /** This result, or an error naming the command and its output when it failed. */
    Result orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + exitCode + "): " + output);
      }
      return this;
    }
  }

  private Commands() {}

  /**
   * The path of {@code program}; fails saying how to get it when it is missing, and when the tests do not run
   * as root (both runtimes need root here).
   */
  static Path require(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(p)) {
        if (!"root".equals(System.getProperty("user.name"))) {
          throw new IllegalStateException(program + " must run as root in these tests: run bin/test as root");
        }
        return p;
      }
    }
    throw new IllegalStateException(program + " is not installed: run bin/test as root, which installs it ("
        + INSTALL + ")");
  }

  /** Runs {@code command} in {@code workDir} with extra environment {@code env}, waiting at most 5 minutes. */
  static Result run(Path workDir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Path log = workDir.resolve("cmd-" + RUNS.incrementAndGet() + ".log");
    ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    b.environment().putAll(env);
    Process p = b.start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s: "
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(command, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      stop(p);
    }
  }

  /** Stops {@code p} by its PID: politely first, then forcibly. */
  static void stop(Process p) throws InterruptedException {
    if (p.isAlive()) {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
