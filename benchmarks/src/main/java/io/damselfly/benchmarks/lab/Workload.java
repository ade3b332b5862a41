package io.damselfly.benchmarks.lab;

import io.damselfly.common.Digest;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file every host downloads: deterministic pseudo-random bytes (incompressible), and its SHA-256.
 *
 * @param path where the master copy lies (the origin serves it; the first seeder holds it)
 * @param size bytes
 * @param sha256 its digest
 */
public record Workload(Path path, long size, Digest sha256) {
  /** Writes {@code size} bytes from {@code seed} to {@code dir/name}. */
  public static Workload create(Path dir, String name, long size, long seed) throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1 byte, got " + size);
    }
    Path file = Files.createDirectories(dir).resolve(name);
    return new Workload(file, size, TestFiles.write(file, size, seed));
  }

  public String name() {
    return path.getFileName().toString();
  }
}
