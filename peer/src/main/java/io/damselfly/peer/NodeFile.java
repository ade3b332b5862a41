package io.damselfly.peer;

import io.damselfly.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <home>/data/node.json}: how dfget finds the running node of a home.
 *
 * @param localPort loopback port of the node's local API
 */
public record NodeFile(String kind, long pid, int localPort, int uploadPort) {
  public static Path path(Path home) {
    return home.resolve("data").resolve("node.json");
  }

  /** The node file of {@code home}, if one is there and readable. */
  public static Optional<NodeFile> read(Path home) {
    try {
      return Optional.of(Json.read(Files.readAllBytes(path(home)), NodeFile.class));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  void write(Path home) throws IOException {
    Path p = path(home);
    Path tmp = p.resolveSibling("node.json.tmp");
    Files.write(tmp, Json.write(this));
    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Removes the file if it still describes {@code pid}. */
  static void remove(Path home, long pid) {
    read(home).filter(f -> f.pid() == pid).ifPresent(f -> {
      try {
        Files.deleteIfExists(path(home));
      } catch (IOException ignored) {
        // a stale file is detected by its dead pid
      }
    });
  }
}
