package io.damselfly.benchmarks.micro;

import io.damselfly.benchmarks.LabMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Result directories of the micro benchmarks: {@code results/micro/<name>-<timestamp>/}. */
final class MicroDirs {
  private MicroDirs() {}

  static Path create(LabMain lab, String name) throws IOException {
    Path root = lab.resultsRoot().resolve("micro");
    return Files.createDirectories(root.resolve(name + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
  }
}
