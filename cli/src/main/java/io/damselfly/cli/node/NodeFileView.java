package io.damselfly.cli.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <home>/data/node.json} as dfget reads it, with the JDK alone (the node writes it: {@code NodeFile} of the
 * peer module, {@code {"kind", "pid", "localPort", "uploadPort"}}).
 */
record NodeFileView(String kind, long pid, int localPort) {
  static Path path(Path home) {
    return home.resolve("data").resolve("node.json");
  }

  /** The node file of {@code home}, if one is there and readable. */
  static Optional<NodeFileView> read(Path home) {
    try {
      Map<String, Object> m = LocalJson.object(Files.readString(path(home), StandardCharsets.UTF_8));
      return Optional.of(new NodeFileView(LocalJson.string(m, "kind"), LocalJson.number(m, "pid"),
          (int) LocalJson.number(m, "localPort")));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
