package io.damselfly.common;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size set of piece numbers that many threads may read while others add to it. Pieces are
 * only ever added: a piece, once verified, stays verified for the life of the file.
 */
public final class PieceBitmap {
  private final AtomicLongArray words;
  private final int size;

  public PieceBitmap(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("bitmap size must be >= 0, got " + size);
    }
    this.size = size;
    this.words = new AtomicLongArray(Math.max(1, (size + 63) / 64));
  }

  public int size() {
    return size;
  }

  /** Marks {@code piece}; returns true when it was not marked before. */
  public boolean set(int piece) {
    check(piece);
    int w = piece >>> 6;
    long bit = 1L << (piece & 63);
    while (true) {
      long old = words.get(w);
      if ((old & bit) != 0) {
        return false;
      }
      if (words.compareAndSet(w, old, old | bit)) {
        return true;
      }
    }
  }

  public boolean get(int piece) {
    if (piece < 0 || piece >= size) {
      return false;
    }
    return (words.get(piece >>> 6) & (1L << (piece & 63))) != 0;
  }

  /** True when every piece in {@code [from, toInclusive]} is marked. */
  public boolean allSet(int from, int toInclusive) {
    for (int p = from; p <= toInclusive; p++) {
      if (!get(p)) {
        return false;
      }
    }
    return from <= toInclusive;
  }

  public int cardinality() {
    int n = 0;
    for (int i = 0; i < words.length(); i++) {
      n += Long.bitCount(words.get(i));
    }
    return n;
  }

  public boolean complete() {
    return cardinality() == size;
  }

  /** A snapshot copy. */
  public BitSet toBitSet() {
    BitSet b = new BitSet(size);
    for (int p = 0; p < size; p++) {
      if (get(p)) {
        b.set(p);
      }
    }
    return b;
  }

  private void check(int piece) {
    if (piece < 0 || piece >= size) {
      throw new IllegalArgumentException("piece must be in [0, " + size + "), got " + piece);
    }
  }
}
