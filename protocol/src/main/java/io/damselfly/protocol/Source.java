package io.damselfly.protocol;

/**
 * Where to fetch a piece: a peer's upload server, or the supernode's piece server when {@code peerId}
 * is {@link ProtocolV1#CDN_SOURCE}.
 */
public record Source(String peerId, String host, int port) {
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isCdn() {
    return ProtocolV1.CDN_SOURCE.equals(peerId);
  }
}
