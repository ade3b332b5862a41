package io.damselfly.benchmarks.report;

import java.util.List;

/**
 * One system's run at one N: when each host finished, whether each copy was right, what the origin sent.
 *
 * @param system the system's name (direct, bittorrent, damselfly, damselfly-daemon)
 * @param n downloading hosts
 * @param size file size in bytes
 * @param hostSeconds per host, seconds from the common start until it held the file; NaN = not finished
 * @param digestOk per host, whether its copy's SHA-256 matched the file's
 * @param originBytes bytes the origin (for BitTorrent: the first seeder) sent, at the application level; -1
 *     when unknown
 * @param sourceWireBytes bytes the origin's (first seeder's) host sent on its link, TCP/IP headers included;
 *     -1 when unknown
 * @param bound the fluid lower bound T* in seconds
 * @param note anything the reader must know about this run (empty when nothing)
 */
public record RunResult(String system, int n, long size, List<Double> hostSeconds, List<Boolean> digestOk,
    long originBytes, long sourceWireBytes, double bound, String note) {

  public RunResult {
    if (system == null || system.isBlank()) {
      throw new IllegalArgumentException("system must be named");
    }
    if (n < 1 || hostSeconds == null || hostSeconds.size() != n || digestOk == null || digestOk.size() != n) {
      throw new IllegalArgumentException("n must be >= 1 with one time and one digest check per host, got n=" + n
          + " times=" + (hostSeconds == null ? null : hostSeconds.size())
          + " checks=" + (digestOk == null ? null : digestOk.size()));
    }
    if (size <= 0) {
      throw new IllegalArgumentException("size must be > 0 bytes, got " + size);
    }
    hostSeconds = List.copyOf(hostSeconds);
    digestOk = List.copyOf(digestOk);
    note = note == null ? "" : note;
  }

  public Completion completion() {
    return Completion.of(hostSeconds);
  }

  /** T* / T_last; NaN when a host did not finish. */
  public double efficiency() {
    return FluidBound.efficiency(bound, completion().last());
  }

  /** Whether every host finished with a copy whose SHA-256 matched. */
  public boolean allDigestsMatch() {
    return digestOk.stream().allMatch(Boolean::booleanValue) && completion().allFinished();
  }

  /** Origin bytes as a multiple of the file size; NaN when unknown. */
  public double originRatio() {
    return originBytes < 0 ? Double.NaN : (double) originBytes / size;
  }
}
