package io.damselfly.peer.download.session;

import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ProtocolV1;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounded-tries rule of a download: a piece whose copies failed their digest check
 * {@link #MAX_PER_PIECE} times, at least once from the supernode's CDN, ends the download with
 * {@link DfgetExit#NO_VERIFIED_SOURCE} instead of asking again until {@code --timeout}. Failures from peers
 * alone never end it: a lying peer is never asked again by this download, so the CDN's copy comes next.
 * Session thread only.
 */
final class DigestFailures {
  /** Copies of one piece that may fail their digest before the download gives up (see docs/CLI.md). */
  static final int MAX_PER_PIECE = 3;

  private final Map<Integer, Set<String>> sourcesByPiece = new HashMap<>();
  private final Map<Integer, Integer> counts = new HashMap<>();

  /** Counts the digest failures among {@code failures}; throws once a piece reached the bound. */
  void count(List<PieceFailure> failures) {
    for (PieceFailure f : failures) {
      if (f.reason() != FailureReason.DIGEST_MISMATCH) {
        continue;
      }
      Set<String> sources = sourcesByPiece.computeIfAbsent(f.piece(), p -> new LinkedHashSet<>());
      sources.add(f.source());
      int n = counts.merge(f.piece(), 1, Integer::sum);
      if (n >= MAX_PER_PIECE && sources.contains(ProtocolV1.CDN_SOURCE)) {
        throw new DownloadFailure(DfgetExit.NO_VERIFIED_SOURCE, "piece " + f.piece() + " failed its digest check "
            + n + " times (from " + String.join(", ", sourcesByPiece.get(f.piece()))
            + "): no source gave a verified copy of it");
      }
    }
  }
}
