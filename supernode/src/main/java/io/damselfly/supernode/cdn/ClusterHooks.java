package io.damselfly.supernode.cdn;

import io.damselfly.common.TaskId;
import java.util.List;
import java.util.Optional;

/**
 * How the CDN takes part in a supernode cluster: who may fetch a task key, and the facts another supernode
 * recorded of a task so it is continued (same task id, same piece digests) rather than fetched again.
 */
public interface ClusterHooks {
  /** A supernode alone. */
  ClusterHooks NONE = new ClusterHooks() {};

  /** Throws {@code ApiException} NOT_OWNER when another supernode owns {@code key}. */
  default void checkOwner(String key) {}

  /** What another supernode recorded of {@code key}'s current version, when it is worth continuing. */
  default Optional<Adoption> adoption(String key) {
    return Optional.empty();
  }

  /** Fills one piece from wherever the cluster holds it (other supernodes' CDNs, peers). */
  @FunctionalInterface
  interface PieceSource {
    /**
     * Reads piece {@code piece} ({@code length} bytes at {@code offset}) into {@code into} and verifies it
     * against {@code digest}; false when no holder could give it.
     */
    boolean fetch(TaskId task, int piece, long offset, byte[] into, int length, String digest);
  }

  /**
   * A task to continue.
   *
   * @param digests SHA-256 of pieces 0 .. n-1 as the first supernode stored them
   * @param source where verified pieces can be read before asking the origin for the rest
   */
  record Adoption(String taskId, String url, long contentLength, int pieceSize, String etag, String lastModified,
      List<String> digests, PieceSource source) {
    public Adoption {
      digests = List.copyOf(digests);
      if (contentLength < 0) {
        throw new IllegalArgumentException("contentLength must be known to continue a task, got " + contentLength);
      }
    }
  }
}
