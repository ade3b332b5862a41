package io.damselfly.benchmarks.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands (ip, tc, curl) to completion and returns their output. */
public final class Sh {
  private static final long LIMIT_SECONDS = 60;

  private Sh() {}

  /** Runs {@code argv}; returns stdout; throws with the command and its stderr when it fails. */
  public static String run(List<String> argv) {
    Result r = exec(argv);
    if (r.exit() != 0) {
      throw new IllegalStateException("command failed (exit " + r.exit() + "): " + String.join(" ", argv) + ": "
          + r.err().strip());
    }
    return r.out();
  }

  public static String run(String... argv) {
    return run(List.of(argv));
  }

  /** Runs {@code argv}; returns its exit code and output whatever the code. */
  public static Result exec(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      // stderr of these commands is short; read it on a virtual thread so a full pipe cannot block stdout
      var err = new java.util.concurrent.CompletableFuture<String>();
      Thread.ofVirtual().start(() -> {
        try {
          err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          err.complete("");
        }
      });
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("command did not end within " + LIMIT_SECONDS + " s: " + String.join(" ", argv));
      }
      return new Result(p.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
    }
  }

  /** Whether {@code tool} is on the PATH. */
  public static boolean has(String tool) {
    return exec(List.of("sh", "-c", "command -v " + tool)).exit() == 0;
  }

  /** A finished command's exit code, stdout and stderr. */
  public record Result(int exit, String out, String err) {}
}
