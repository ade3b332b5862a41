package io.damselfly.supernode.cluster;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.cdn.ClusterHooks;
import io.damselfly.supernode.store.Holding;
import io.damselfly.supernode.store.Member;
import io.damselfly.transport.ClusterAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a taking-over supernode reads pieces of one task: first other members' CDNs (a live earlier owner
 * still has its copy), then the peers the store says hold the piece (most complete first). Every piece is
 * verified against the digest the first owner recorded, so a bad holder is simply skipped.
 */
final class ClusterPieces implements ClusterHooks.PieceSource {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPieces.class);

  /** A place a piece may be read from. */
  private record Holder(String name, String authority, BitSet pieces) {}

  private final HttpClient http;
  private final ClusterAccess access;
  private final Duration pieceTimeout;
  private final String selfId;
  private final List<Holder> holders = new ArrayList<>();

  ClusterPieces(HttpClient http, ClusterAccess access, Duration pieceTimeout, Member self, List<Member> members, List<Holding> holdings) {
    this.http = http;
    this.access = access;
    this.pieceTimeout = pieceTimeout;
    this.selfId = self.id();
    for (Member m : members) {
      if (!m.id().equals(self.id())) {
        holders.add(new Holder("supernode " + m.id(), m.pieces(), null));
      }
    }
    holdings.stream().sorted(Comparator.comparingInt((Holding h) -> h.pieces().cardinality()).reversed())
        .forEach(h -> holders.add(new Holder("peer " + h.peerId(), h.host() + ":" + h.port(), h.pieces())));
  }

  @Override
  public boolean fetch(TaskId task, int piece, long offset, byte[] into, int length, String digest) {
    for (Holder h : holders) {
      if (h.pieces() != null && !h.pieces().get(piece)) {
        continue;
      }
      if (read(h, task, offset, into, length) && Digest.of(Digest.Algorithm.SHA256, into, 0, length).toString().equals(digest)) {
        return true;
      }
    }
    return false;
  }

  private boolean read(Holder h, TaskId task, long offset, byte[] into, int length) {
    try {
      HttpRequest req = access.request(access.uri(h.authority(), ProtocolV1.path(ProtocolV1.FILE, task.value())))
          .timeout(pieceTimeout)
          .header("Range", "bytes=" + offset + "-" + (offset + length - 1))
          .header(ProtocolV1.HEADER_PEER_ID, "supernode-" + selfId.replaceAll("[^A-Za-z0-9]", "-"))
          .GET().build();
      HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        return res.statusCode() == 206 && in.readNBytes(into, 0, length) == length;
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.debug("piece at {} of {} from {} failed: {}", offset, task, h.name(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
