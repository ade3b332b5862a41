package io.damselfly.benchmarks.report;

/**
 * The fluid-model lower bound on the time until the last of {@code n} peers holds a file of {@code size}
 * bytes that one source holds at the start: {@code T* = max(S/u_s, S/d_min, N*S/(u_s + sum u_i))}. No
 * system can beat it: the source must send every byte once, the slowest peer must receive every byte, and
 * all peers together must receive N*S through the uploads of the source and the peers.
 */
public final class FluidBound {
  private FluidBound() {}

  /**
   * T* in seconds; rates in bytes per second.
   *
   * @param size file size S in bytes
   * @param n number of downloading peers
   * @param sourceUp upload rate u_s of the source
   * @param minDown the slowest download rate d_min among the peers
   * @param peerUpSum the sum of the peers' upload rates (0 when peers do not upload)
   */
  public static double seconds(long size, int n, double sourceUp, double minDown, double peerUpSum) {
    if (size <= 0 || n < 1) {
      throw new IllegalArgumentException("size must be > 0 bytes and n >= 1, got size=" + size + " n=" + n);
    }
    if (!(sourceUp > 0) || !(minDown > 0) || !(peerUpSum >= 0)) {
      throw new IllegalArgumentException("rates must be sourceUp > 0, minDown > 0 and peerUpSum >= 0 bytes/s, got "
          + sourceUp + ", " + minDown + ", " + peerUpSum);
    }
    double s = size;
    return Math.max(Math.max(s / sourceUp, s / minDown), n * s / (sourceUp + peerUpSum));
  }

  /** T* when the source and every peer have the same upload and download rate, bytes per second. */
  public static double uniform(long size, int n, double rate) {
    return seconds(size, n, rate, rate, n * rate);
  }

  /** T* / T_last: 1 is the best any system can do; NaN when the run has no last time. */
  public static double efficiency(double bound, double last) {
    return last > 0 ? bound / last : Double.NaN;
  }
}
