package io.damselfly.peer.download.session;

import io.damselfly.common.HostPort;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/** The address this host gives other peers: configured, or the one its route to the supernode uses. */
public final class Addresses {
  private Addresses() {}

  /**
   * {@code configured} when given; else the local address of a route to {@code supernode} (found
   * with an unsent UDP connect, so no packet leaves the host). Never 127.0.0.1 unless the supernode
   * itself is reached over loopback.
   */
  public static String advertised(String configured, HostPort supernode) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(supernode.host(), supernode.port()));
      var local = s.getLocalAddress();
      if (local != null && !local.isAnyLocalAddress()) {
        return local.getHostAddress();
      }
    } catch (IOException | RuntimeException e) {
      // fall through: unresolvable supernode names fail later with a clear message
    }
    return "127.0.0.1";
  }
}
