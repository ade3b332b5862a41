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
  /**
   * Environment variable with the path of the node's start-up cache, set by bin/dfget (bin/lib/caches.sh): used
   * when the file is there (JDK 24+: an AOT cache; 21-23: an AppCDS archive the JVM also makes when missing).
   */
  public static final String NODE_CACHE_ENV = "DAMSELFLY_NODE_CACHE";
  private final String java;
  private final String classPath;
  private final List<String> jvmOptions;
  private final Path cache;

  public NodeSpawner(String java, String classPath) {
    this(java, classPath, List.of(DEFAULT_NODE_OPTIONS));
  }

  public NodeSpawner(String java, String classPath, List<String> jvmOptions) {
    this(java, classPath, jvmOptions, null);
  }

  /**
   * @param cache the node's start-up cache (see {@link #NODE_CACHE_ENV}), or null for none
   */
  public NodeSpawner(String java, String classPath, List<String> jvmOptions, Path cache) {
    if (java == null || java.isBlank() || classPath == null || classPath.isBlank()) {
      throw new IllegalArgumentException("java and classPath must be given");
    }
    this.java = java;
    this.classPath = classPath;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.cache = cache;
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
    String cache = System.getenv(NODE_CACHE_ENV);
    return new NodeSpawner(thisJava(), classPath, nodeOptions(System.getenv()),
        cache == null || cache.isBlank() ? null : Path.of(cache));
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
    cmd.addAll(cacheOptions(Runtime.version().feature()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classPath, MAIN, "server", "--home", home.toString(), "--detached"));
    cmd.addAll(flags);
    return cmd;
  }

  /**
   * The flags of the node's start-up cache on Java {@code feature}, as bin/lib/caches.sh gives them: none without a
   * cache file (on 24+), else the cache checked by the JVM (a damaged one is ignored) with its messages dropped.
   */
  List<String> cacheOptions(int feature) {
    if (cache == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=off:stderr"));
    if (feature >= 24) {
      out.add("-Xlog:aot*=off:stderr");
      if (Files.isRegularFile(cache)) {
        out.addAll(List.of("-XX:AOTCache=" + cache, "-XX:+VerifySharedSpaces"));
      }
    } else {
      out.addAll(List.of("-XX:SharedArchiveFile=" + cache, "-XX:+AutoCreateSharedArchive", "-XX:+VerifySharedSpaces"));
    }
    return out;
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
