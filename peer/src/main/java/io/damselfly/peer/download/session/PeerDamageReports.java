package io.damselfly.peer.download.session;

import io.damselfly.common.TaskId;
import io.damselfly.peer.download.pieces.DamageReports;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import io.damselfly.transport.ApiClient;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ProtocolV1#PIECE_CHECK} to the peer that served a piece failing its digest, without waiting for
 * the answer: the peer hashes its copy again and stops serving it when it is damaged (see docs/PROTOCOL.md).
 */
public final class PeerDamageReports implements DamageReports {
  private static final Logger LOG = LoggerFactory.getLogger(PeerDamageReports.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ApiClient api;
  private final String peerId;

  public PeerDamageReports(ApiClient api, String peerId) {
    this.api = api;
    this.peerId = peerId;
  }

  @Override
  public void report(TaskId task, int piece, Source source) {
    String path = ProtocolV1.path(ProtocolV1.PIECE_CHECK, task.value(), Integer.toString(piece));
    api.send("POST", source.host(), source.port(), path, Map.of(ProtocolV1.HEADER_PEER_ID, peerId), null, TIMEOUT)
        .whenComplete((r, e) -> {
          if (e != null) {
            LOG.debug("cannot report damaged piece {} of {} to {}: {}", piece, task, source.peerId(), e.toString());
          } else {
            LOG.info("reported damaged piece {} of {} to {}: {} {}", piece, task, source.peerId(), r.status(),
                new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
          }
        });
  }
}
