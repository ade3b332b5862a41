package io.damselfly.protocol;

import java.util.List;

/**
 * One piece to fetch, with its digest and the sources to try in order.
 *
 * @param digest {@code sha256:HEX} of the piece's bytes
 */
public record Assignment(int piece, long offset, int length, String digest, List<Source> sources) {
  public Assignment {
    sources = List.copyOf(sources);
  }
}
