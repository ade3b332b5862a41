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
  /** Environment variable with the node's JVM options, replacing {@link #DEFAULT_NODE_OPTIONS}. */
  public static final String NODE_OPTIONS_ENV = "DAMSELFLY_NODE_JAVA_OPTS";
  /**
   * The node's heap is bounded: its piece buffers have a fixed budget and files are never held in
   * memory, so a long-lived node needs no more whatever the file sizes.
   */
  public static final String DEFAULT_NODE_OPTIONS = "-Xmx256m";
  private final String java;
  private final String classPath;
  private final List<String> jvmOptions;

  public NodeSpawner(String java, String classPath) {
    this(java, classPath, List.of(DEFAULT_NODE_OPTIONS));
  }

  public NodeSpawner(String java, String classPath, List<String> jvmOptions) {
    if (java == null || java.isBlank() || classPath == null || classPath.isBlank()) {
      throw new IllegalArgumentException("java and classPath must be given");
    }
    this.java = java;
    this.classPath = classPath;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** JVM options from {@link #NODE_OPTIONS_ENV} (split on whitespace), else the default. */
  public static List<String> nodeOptions(java.util.Map<String, String> env) {
    String opts = env.getOrDefault(NODE_OPTIONS_ENV, DEFAULT_NODE_OPTIONS).trim();
    return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
  }

  /** Spawns with this JVM's executable and class path (made absolute: the node runs in its home). */
  public static NodeSpawner fromThisJvm() {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
    return new NodeSpawner(thisJava(), classPath, nodeOptions(System.getenv()));
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
    cmd.addAll(jvmOptions);
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
