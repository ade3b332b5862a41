package io.damselfly.supernode.scheduler;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Which peer of a task holds which piece: the dashboard's live piece map. Built on the scheduler thread.
 *
 * @param piecesStored pieces the CDN holds (always a prefix 0 .. n-1)
 * @param peers the task's peers, in the order they joined
 */
public record TaskPieces(String taskId, int pieceCount, int piecesStored, List<PeerPieces> peers) {

  public TaskPieces {
    peers = List.copyOf(peers);
  }

  /**
   * One peer's pieces and load.
   *
   * @param state ACTIVE, ISOLATED or GONE
   * @param uploadsInFlight pieces other peers are fetching from it now (its load)
   * @param have base64 of a little-endian bitmap: piece {@code i} is bit {@code i % 8} of byte {@code i / 8}
   */
  public record PeerPieces(String peerId, String host, int port, String state, int piecesHave, int uploadsInFlight,
      long bytesUploaded, int failures, String have) {}

  /** The bitmap encoding of {@link PeerPieces#have()}. */
  public static String encode(java.util.BitSet have) {
    return Base64.getEncoder().encodeToString(have.toByteArray());
  }

  static TaskPieces of(TaskState t) {
    List<PeerPieces> out = new ArrayList<>(t.peers.size());
    for (TaskPeer p : t.peers.values()) {
      PeerRecord r = p.peer;
      out.add(new PeerPieces(r.address.peerId(), r.address.host(), r.address.port(), r.status.name(),
          p.have.cardinality(), r.uploadsInFlight, r.bytesUploaded, r.totalFailures, encode(p.have)));
    }
    return new TaskPieces(t.cdn.id().value(), t.cdn.layout().pieceCount(), t.cdn.storedPieces(), out);
  }
}
