package io.damselfly.e2e.faults;

import io.damselfly.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The reliability report: every fault test appends a {@link FaultOutcome} line to
 * {@code target/reliability/<TestClass>.jsonl}; {@link #write} turns all such files into
 * {@code target/reliability/REPORT.md}. {@code bin/reliability} runs {@link #main} on a finished run.
 */
public final class ReliabilityReport {
  /** The report directory of the e2e module's test run. */
  public static final Path DIR = Path.of("target", "reliability");

  private ReliabilityReport() {}

  /** Appends {@code outcome} to the JSON lines of {@code testClass}. */
  public static synchronized void record(Path dir, String testClass, FaultOutcome outcome) throws IOException {
    Files.createDirectories(dir);
    byte[] line = (new String(Json.write(outcome), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve(testClass + ".jsonl"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Starts the JSON lines of {@code testClass} afresh (a class's earlier run is replaced, others are kept). */
  public static synchronized void reset(Path dir, String testClass) throws IOException {
    Files.deleteIfExists(dir.resolve(testClass + ".jsonl"));
  }

  /** Every recorded outcome in {@code dir}, by file name then line. */
  public static List<FaultOutcome> read(Path dir) throws IOException {
    List<FaultOutcome> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            out.add(Json.read(line.getBytes(StandardCharsets.UTF_8), FaultOutcome.class));
          }
        }
      }
    }
    return out;
  }

  /** Writes {@code REPORT.md} in {@code dir} from its JSON lines; returns the report's path. */
  public static synchronized Path write(Path dir) throws IOException {
    List<FaultOutcome> all = read(dir);
    Path report = dir.resolve("REPORT.md");
    Files.createDirectories(dir);
    Files.writeString(report, markdown(all), StandardCharsets.UTF_8);
    return report;
  }

  static String markdown(List<FaultOutcome> all) {
    StringBuilder md = new StringBuilder("# Reliability report\n\n");
    long wrong = all.stream().mapToLong(FaultOutcome::wrongBytes).sum();
    long partial = all.stream().mapToLong(FaultOutcome::partialOutputs).sum();
    long crashes = all.stream().mapToLong(FaultOutcome::crashes).sum();
    long survived = all.stream().filter(FaultOutcome::survived).count();
    md.append(String.format(Locale.ROOT, "%d faults injected, %d survived. Wrong bytes delivered: %d. Partial outputs: "
        + "%d. Server crashes: %d. Bad inputs tried: %d. Bytes transferred again because of faults: %d.%n%n",
        all.size(), survived, wrong, partial, crashes, all.stream().mapToLong(FaultOutcome::badInputs).sum(),
        all.stream().mapToLong(FaultOutcome::bytesLost).sum()));
    md.append("| fault | outcome | survived | bytes lost | wrong bytes | partial outputs | crashes | bad inputs "
        + "| figures |\n|---|---|---|---|---|---|---|---|---|\n");
    for (FaultOutcome o : all) {
      md.append("| ").append(cell(o.fault())).append(" | ").append(cell(o.outcome())).append(" | ")
          .append(o.survived() ? "yes" : "**no**").append(" | ").append(o.bytesLost()).append(" | ")
          .append(o.wrongBytes()).append(" | ").append(o.partialOutputs()).append(" | ").append(o.crashes())
          .append(" | ").append(o.badInputs()).append(" | ").append(cell(figures(o.figures()))).append(" |\n");
    }
    md.append("\nTests: ").append(String.join(", ", all.stream().map(FaultOutcome::test).toList())).append('\n');
    return md.toString();
  }

  private static String figures(Map<String, Object> f) {
    StringBuilder b = new StringBuilder();
    f.forEach((k, v) -> b.append(b.isEmpty() ? "" : "; ").append(k).append(' ').append(v));
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** Writes the report of {@code args[0]} (default {@code e2e/target/reliability}) and prints its path. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "e2e/target/reliability");
    System.out.println(write(dir));
  }
}
