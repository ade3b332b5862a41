package io.damselfly.dfdaemon.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository checkout the tests run in (deploy/, docs/), found from the module's directory. */
final class RepoFiles {
  private RepoFiles() {}

  /** The repository root: the nearest ancestor of the working directory holding {@code deploy/} and {@code docs/}. */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new AssertionError("no repository root (with deploy/ and docs/) above " + Path.of("").toAbsolutePath());
  }

  static String read(String relative) {
    try {
      return Files.readString(root().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
