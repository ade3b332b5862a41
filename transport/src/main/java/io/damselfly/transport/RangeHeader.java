package io.damselfly.transport;

import io.damselfly.common.ByteRange;

/** Parses a single-range HTTP {@code Range} header: {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. */
public final class RangeHeader {
  private RangeHeader() {}

  /**
   * The range asked for in a file of {@code total} bytes ({@code total} must be known for open
   * ranges), clamped to the file's end as RFC 9110 says.
   *
   * @throws IllegalArgumentException when the header is malformed, names several ranges, or lies
   *     outside the file
   */
  public static ByteRange parse(String header, long total) {
    if (header == null || !header.startsWith("bytes=")) {
      throw new IllegalArgumentException("Range must look like 'bytes=start-end', got '" + header + "'");
    }
    String spec = header.substring(6).trim();
    if (spec.contains(",")) {
      throw new IllegalArgumentException("Range must name one range, got '" + header + "'");
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("Range must look like 'bytes=start-end', got '" + header + "'");
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        requireKnown(total, header);
        if (suffix <= 0 || total == 0) {
          throw new IllegalArgumentException("Range suffix must be > 0 within a non-empty file: '" + header + "'");
        }
        long start = Math.max(0, total - suffix);
        return new ByteRange(start, total - start);
      }
      long start = Long.parseLong(a);
      long end;
      if (b.isEmpty()) {
        requireKnown(total, header);
        end = total - 1;
      } else {
        end = Long.parseLong(b);
        if (total >= 0) {
          end = Math.min(end, total - 1);
        }
      }
      if (start < 0 || end < start || (total >= 0 && start >= total)) {
        throw new IllegalArgumentException("Range " + header + " is outside a file of " + total + " bytes");
      }
      return new ByteRange(start, end - start + 1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Range positions must be whole numbers, got '" + header + "'");
    }
  }

  private static void requireKnown(long total, String header) {
    if (total < 0) {
      throw new IllegalArgumentException("Range " + header + " needs a known file length");
    }
  }
}
