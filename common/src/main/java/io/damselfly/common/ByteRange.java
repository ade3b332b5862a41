package io.damselfly.common;

/** A non-empty range of bytes {@code [start, start + length)} within a file. */
public record ByteRange(long start, long length) {
  public ByteRange {
    if (start < 0) {
      throw new IllegalArgumentException("range start must be >= 0, got " + start);
    }
    if (length <= 0) {
      throw new IllegalArgumentException("range length must be > 0, got " + length);
    }
    if (start + length < 0) {
      throw new IllegalArgumentException("range end overflows: start " + start + " length " + length);
    }
  }

  /** The last byte's offset, inclusive, as in HTTP {@code Range: bytes=start-end}. */
  public long endInclusive() {
    return start + length - 1;
  }

  public long endExclusive() {
    return start + length;
  }

  /** The value of an HTTP {@code Range} header asking for exactly this range. */
  public String toRangeHeader() {
    return "bytes=" + start + "-" + endInclusive();
  }

  /** The value of an HTTP {@code Content-Range} header for this range of a file of {@code total} bytes. */
  public String toContentRange(long total) {
    return "bytes " + start + "-" + endInclusive() + "/" + (total < 0 ? "*" : Long.toString(total));
  }
}
