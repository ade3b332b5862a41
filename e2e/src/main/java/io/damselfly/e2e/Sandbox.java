package io.damselfly.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A directory for one run: an empty dragonfly.conf (so {@code /etc/dragonfly.conf} is never read), a
 * home per simulated host and a log directory. Closing it stops the peer node of every home it made.
 */
public final class Sandbox implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final Path root;
  private final Path conf;
  private final Set<Path> homes = new LinkedHashSet<>();

  private Sandbox(Path root, Path conf) {
    this.root = root;
    this.conf = conf;
  }

  /** A sandbox in {@code root} (created if missing). */
  public static Sandbox in(Path root) throws IOException {
    Files.createDirectories(root.resolve("logs"));
    Path conf = root.resolve("dragonfly.conf");
    Files.writeString(conf, "# empty: the run uses embedded defaults\n");
    return new Sandbox(root, conf);
  }

  public Path root() {
    return root;
  }

  /** The file to pass as {@code DAMSELFLY_CONF}. */
  public Path conf() {
    return conf;
  }

  public Path logDir() {
    return root.resolve("logs");
  }

  /** The home of one simulated host, made on first use; its peer node is stopped on {@link #close()}. */
  public synchronized Path home(String name) throws IOException {
    Path home = Files.createDirectories(homeOf(name));
    homes.add(home);
    return home;
  }

  /** Where {@link #home} puts the home named {@code name}. */
  public Path homeOf(String name) {
    return root.resolve("homes").resolve(name);
  }

  /** A fresh, empty directory, e.g. for one download's output. */
  public Path dir(String name) throws IOException {
    return Files.createDirectories(root.resolve(name));
  }

  /** Stops the peer node of every home (found by PID in its node.json), all at once. */
  @Override
  public synchronized void close() {
    List<Thread> stops = new ArrayList<>();
    for (Path home : homes) {
      stops.add(Thread.ofVirtual().name("stop-" + home.getFileName()).start(() -> Reaper.stopNode(home, GRACE)));
    }
    Reaper.joinAll(stops);
  }
}
