package io.damselfly.cli.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts {@code dfget server} for a home as a detached background process: the same java executable and
 * class path as this one, working directory the home, stdin from /dev/null, stdout and stderr appended to
 * {@code <home>/logs/dfget-server.out}.
 */
public final class NodeSpawner {
  /** The main class of the spawned process. */
  public static final String MAIN = "io.damselfly.cli.DfgetMain";
  private final String java;
  private final String classPath;

  public NodeSpawner(String java, String classPath) {
    if (java == null || java.isBlank() || classPath == null || classPath.isBlank()) {
      throw new IllegalArgumentException("java and classPath must be given");
    }
    this.java = java;
    this.classPath = classPath;
  }

  /** Spawns with this JVM's executable and class path (made absolute: the node runs in its home). */
  public static NodeSpawner fromThisJvm() {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
    return new NodeSpawner(thisJava(), classPath);
  }

  /** The java executable running this process. */
  public static String thisJava() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Where the spawned node's stdout and stderr go. */
  public static Path outFile(Path home) {
    return home.resolve("logs").resolve("dfget-server.out");
  }

  /** The command line for a node of {@code home} with the extra {@code server} flags {@code flags}. */
  public List<String> command(Path home, List<String> flags) {
    List<String> cmd = new ArrayList<>(List.of(java));
    if (Runtime.version().feature() >= 22) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow"); // Netty's direct buffers, without a warning
    }
    cmd.addAll(List.of("-cp", classPath, MAIN, "server", "--home", home.toString(), "--detached"));
    cmd.addAll(flags);
    return cmd;
  }

  /** Starts the node; it outlives this process. */
  public Process spawn(Path home, List<String> flags) throws IOException {
    Path out = outFile(home);
    Files.createDirectories(out.getParent());
    return new ProcessBuilder(command(home, flags)).directory(home.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .start();
  }
}
