package io.damselfly.benchmarks.lab;

/** One way of getting a file onto N hosts at once. */
interface LabSystem {
  /** Its name in tables and charts. */
  String name();

  /** The host whose link's sent bytes count as the source's wire bytes: 0 (origin) or 1 (first seeder). */
  int sourceHost();

  /** Runs once: every process it starts goes to {@code t.procs()}, which the lab closes afterwards. */
  Outcome run(Trial t) throws Exception;
}
