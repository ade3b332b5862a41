package io.damselfly.cli.render;

import io.damselfly.protocol.ProgressEvent;

/**
 * Whole percentages of the bytes from peers, the supernode and the origin, summing to 100 when any
 * byte was received (largest remainder rounding).
 */
public record Shares(int peers, int supernode, int origin) {
  public static Shares of(ProgressEvent e) {
    long[] parts = {Math.max(0, e.fromPeers()), Math.max(0, e.fromCdn()), Math.max(0, e.fromSource())};
    long sum = parts[0] + parts[1] + parts[2];
    if (sum == 0) {
      return new Shares(0, 0, 0);
    }
    int[] pct = new int[3];
    double[] rest = new double[3];
    int given = 0;
    for (int i = 0; i < 3; i++) {
      double exact = parts[i] * 100.0 / sum;
      pct[i] = (int) Math.floor(exact);
      rest[i] = exact - pct[i];
      given += pct[i];
    }
    while (given < 100) {
      int best = 0;
      for (int i = 1; i < 3; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      pct[best]++;
      rest[best] = -1;
      given++;
    }
    return new Shares(pct[0], pct[1], pct[2]);
  }

  public boolean none() {
    return peers + supernode + origin == 0;
  }
}
