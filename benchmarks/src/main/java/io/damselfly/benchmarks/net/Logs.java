package io.damselfly.benchmarks.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what the lab's processes write to their logs: ready lines and reported figures. */
public final class Logs {
  private static final long POLL_MILLIS = 100;

  private Logs() {}

  /**
   * Waits until {@code log} has a line containing {@code text}; returns that line.
   *
   * @throws IllegalStateException when no such line appears within {@code seconds}
   */
  public static String await(Path log, String text, int seconds) throws IOException, InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Optional<String> line = find(log, text);
      if (line.isPresent()) {
        return line.get();
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException("no '" + text + "' in " + log + " after " + seconds + " s");
  }

  /** The first line of {@code log} containing {@code text}, if the log exists and has one. */
  public static Optional<String> find(Path log, String text) throws IOException {
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).findFirst();
    }
  }

  /** Group 1 of the first match of {@code regex} in {@code line}, as a number; empty when it does not match. */
  public static Optional<Double> number(String line, String regex) {
    Matcher m = Pattern.compile(regex).matcher(line);
    return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
  }
}
