package io.damselfly.protocol;

/**
 * A peer as it introduces itself: its id and where its upload server listens.
 *
 * @param port upload port, or 0 when the peer does not upload (pattern cdn)
 */
public record PeerAddress(String peerId, String host, int port) {
  public PeerAddress {
    io.damselfly.common.PeerId.of(peerId);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("peer host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("peer port must be in [0, 65535], got " + port);
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean uploads() {
    return port > 0;
  }
}
