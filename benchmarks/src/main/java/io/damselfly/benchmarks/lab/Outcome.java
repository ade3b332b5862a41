package io.damselfly.benchmarks.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * What a system reports after its run; the lab adds digests, wire bytes and the bound.
 *
 * @param seconds per host, seconds from the start until it held the file (NaN = not finished)
 * @param outputs per host, where its copy is
 * @param originBytes body bytes the origin (first seeder) sent; -1 when unknown
 * @param note failures and facts worth printing with the result
 */
record Outcome(List<Double> seconds, List<Path> outputs, long originBytes, String note) {}
