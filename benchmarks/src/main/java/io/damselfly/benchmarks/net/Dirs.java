package io.damselfly.benchmarks.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Cleaning the lab's work directories. */
public final class Dirs {
  /** Files from this size up are copies or caches; smaller ones (configs, JSON) stay for reading. */
  static final long LARGE = 1 << 20;

  private Dirs() {}

  /** Deletes the large files under {@code dir} (copies, caches), keeping logs, JFR recordings and small files. */
  public static void pruneLarge(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (Files.size(p) >= LARGE && !name.endsWith(".log") && !name.endsWith(".jfr")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prune " + dir, e);
    }
  }

  /** Deletes {@code dir} and everything below it. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
