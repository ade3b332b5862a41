package io.damselfly.peer.download.pieces;

import io.damselfly.protocol.FailureReason;

/**
 * Told about every piece a node fetches or serves, for an embedder's metrics (dfdaemon). Called on download
 * and upload threads, often concurrently: implementations must be thread-safe and quick.
 */
public interface PieceListener {
  /** Hears nothing. */
  PieceListener NONE = new PieceListener() {};

  /** A piece arrived verified from the CDN ({@code fromCdn}) or a peer, {@code nanos} after its request. */
  default void fetched(boolean fromCdn, int bytes, long nanos) {}

  /** A piece fetch from one source failed. */
  default void failed(boolean fromCdn, FailureReason reason) {}

  /** The upload server sent {@code bytes} of verified pieces to another peer. */
  default void served(long bytes) {}
}
