package io.damselfly.testing.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real programs the registry tests use; a missing one is an error that says how to get it. */
public final class Tools {
  private Tools() {}

  /** The path of {@code program} on PATH. */
  public static Path require(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(program + " is not installed: run bin/test as root, which installs "
        + "docker-registry, skopeo, apache2-utils and redis-server (apt-get install -y docker-registry skopeo apache2-utils redis-server)");
  }

  /** Runs a short command and returns its output; fails with the output when it exits non-zero. */
  static String run(Path workDir, long timeoutSeconds, String... command) throws java.io.IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    try {
      var out = new java.io.ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().start(() -> {
        try (var in = p.getInputStream()) {
          in.transferTo(out);
        } catch (java.io.IOException ignored) {
          // process gone
        }
      });
      if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      reader.join();
      String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
      }
      return text;
    } finally {
      p.destroyForcibly();
    }
  }
}
