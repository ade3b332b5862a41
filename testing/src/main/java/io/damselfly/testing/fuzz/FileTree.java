package io.damselfly.testing.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files under a directory, to check that a server writes nothing outside its data directory:
 * take a snapshot before the hostile requests and compare after, ignoring the directories a server
 * may write to.
 */
public final class FileTree {
  private FileTree() {}

  /** Every regular file and directory under {@code root} (relative paths), except under {@code allowed}. */
  public static Set<String> snapshot(Path root, Path... allowed) {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> Stream.of(allowed).noneMatch(p::startsWith))
          .forEach(p -> out.add(root.relativize(p).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return out;
  }

  /** Deletes {@code root} and everything under it, best effort (a test's temporary directory). */
  public static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Writes a canary file with a recognizable content and returns that content. */
  public static String canary(Path file) {
    String secret = "CANARY-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-DO-NOT-SERVE";
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return secret;
  }
}
