package io.damselfly.cli;

import io.damselfly.cli.node.NodeSpawner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs DfgetMain in this JVM with its own environment, directory and captured streams. */
record CliRun(int exit, String out, String err) {
  /** A spawner that cannot start anything: in-process tests must never leave a node process behind. */
  static final NodeSpawner NO_SPAWN = new NodeSpawner("no-such-java-for-tests", "none");

  static CliRun run(Path cwd, Map<String, String> env, String... args) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnv cli = new CliEnv(env, cwd, cwd.resolve("user-home"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    int exit = DfgetMain.run(args, cli, NO_SPAWN);
    return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
