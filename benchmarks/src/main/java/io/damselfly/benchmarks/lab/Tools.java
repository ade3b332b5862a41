package io.damselfly.benchmarks.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The programs the lab runs: Damselfly's launchers in the repository's {@code bin/} (they need the built
 * jars), and the outside tools (nginx, curl, opentracker, aria2c, mktorrent).
 *
 * @param repo the repository root (holds {@code bin/} and the modules' {@code target/} jars)
 * @param javaHome the JDK the launchers use (this lab's own)
 * @param javaOpts extra JVM flags for Damselfly's launchers (dfget, supernode, dfdaemon), or empty
 * @param nodeJavaOpts JVM flags of the nodes dfget spawns (replacing dfget's default {@code -Xmx256m}), or empty
 */
public record Tools(Path repo, Path javaHome, String javaOpts, String nodeJavaOpts) {
  /** The launchers' environment variable for extra JVM flags (bin/lib/java.sh). */
  public static final String JAVA_OPTS_ENV = "DAMSELFLY_JAVA_OPTS";
  /** dfget's environment variable for its node's JVM flags. */
  public static final String NODE_OPTS_ENV = "DAMSELFLY_NODE_JAVA_OPTS";

  public Tools {
    javaOpts = javaOpts == null ? "" : javaOpts.trim();
    nodeJavaOpts = nodeJavaOpts == null ? "" : nodeJavaOpts.trim();
  }

  /** The outside tools and the Debian packages that hold them. */
  public static final Map<String, String> OUTSIDE = Map.of("nginx", "nginx", "curl", "curl",
      "opentracker", "opentracker", "aria2c", "aria2", "mktorrent", "mktorrent");

  public Path bin(String name) {
    return repo.resolve("bin").resolve(name);
  }

  /** Environment for the launchers: this lab's JDK (so they need not search for one) and the extra flags. */
  public Map<String, String> env() {
    // fresh start-up caches are used, a stale one never starts a training that would run beside the measurement
    Map<String, String> env = new java.util.HashMap<>(Map.of("JAVA_HOME", javaHome.toString(), "DAMSELFLY_CACHE",
        "use"));
    if (!javaOpts.isEmpty()) {
      env.put(JAVA_OPTS_ENV, javaOpts);
    }
    if (!nodeJavaOpts.isEmpty()) {
      env.put(NODE_OPTS_ENV, nodeJavaOpts);
    }
    return Map.copyOf(env);
  }

  /** What is missing to run {@code systems}; empty when everything is there. */
  public List<String> missing(List<String> systems) {
    List<String> out = new ArrayList<>();
    List<String> tools = new ArrayList<>(List.of("nginx", "curl"));
    if (systems.contains(BitTorrentSystem.NAME)) {
      tools.addAll(List.of("opentracker", "aria2c", "mktorrent"));
    }
    for (String t : tools) {
      if (!io.damselfly.benchmarks.net.Sh.has(t)) {
        out.add(t + " (apt-get install -y " + OUTSIDE.get(t) + ")");
      }
    }
    if (systems.stream().anyMatch(s -> s.startsWith(DamselflySystem.NAME))) {
      for (String jar : List.of("supernode/target/damselfly-supernode.jar", "cli/target/damselfly-dfget.jar",
          "dfdaemon/target/damselfly-dfdaemon.jar")) {
        if (!Files.isRegularFile(repo.resolve(jar))) {
          out.add(jar + " (run bin/build)");
        }
      }
    }
    return out;
  }
}
