package io.damselfly.peer.download.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ProtocolV1;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded-tries rule: a piece the CDN too failed to give intact ends the download; liars alone do not. */
class DigestFailuresTest {
  private static PieceFailure bad(int piece, String source) {
    return new PieceFailure(piece, source, FailureReason.DIGEST_MISMATCH, "test");
  }

  @Test
  void aPieceThatFailsThreeTimesWithTheCdnAmongItsSourcesEndsTheDownload() {
    DigestFailures rule = new DigestFailures();
    rule.count(List.of(bad(7, "peer-1"), bad(7, ProtocolV1.CDN_SOURCE)));
    rule.count(List.of(new PieceFailure(7, "peer-2", FailureReason.TIMEOUT, "not a digest failure")));

    assertThatThrownBy(() -> rule.count(List.of(bad(7, ProtocolV1.CDN_SOURCE))))
        .isInstanceOfSatisfying(DownloadFailure.class, f -> assertThat(f.exit()).isEqualTo(DfgetExit.NO_VERIFIED_SOURCE))
        .hasMessageContaining("piece 7").hasMessageContaining("3 times").hasMessageContaining("peer-1, cdn");
  }

  @Test
  void lyingPeersAloneNeverEndIt() {
    DigestFailures rule = new DigestFailures();
    assertThatCode(() -> {
      for (int i = 0; i < 10; i++) {
        rule.count(List.of(bad(3, "liar-" + i)));
      }
      rule.count(List.of(bad(4, ProtocolV1.CDN_SOURCE), bad(5, ProtocolV1.CDN_SOURCE)));
    }).doesNotThrowAnyException();
  }
}
