package io.damselfly.cli;

import io.damselfly.common.ByteSize;
import io.damselfly.peer.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings for a {@code dfget server} node that dfget starts; unset values keep the server's defaults.
 *
 * @param uploadLimit bytes per second, or -1 for unset
 * @param keepAlive idle time before the node exits, or null for unset
 * @param advertiseIp the address other peers reach the node on, or null
 * @param pieceTimeout how long one piece fetch may take before its source counts as timed out (and the next source
 *     is tried), or null for unset
 */
public record ServerArgs(long uploadLimit, Duration keepAlive, String advertiseIp, Duration pieceTimeout) {
  public static final ServerArgs DEFAULTS = new ServerArgs(-1, null, null, null);

  /** Settings without a piece timeout. */
  public ServerArgs(long uploadLimit, Duration keepAlive, String advertiseIp) {
    this(uploadLimit, keepAlive, advertiseIp, null);
  }

  /** {@code base} with these settings. */
  public NodeConfig applyTo(NodeConfig base) {
    NodeConfig c = base;
    if (uploadLimit >= 0) {
      c = c.withLimits(uploadLimit, c.totalLimit());
    }
    if (keepAlive != null) {
      c = c.withKeepAlive(keepAlive);
    }
    if (advertiseIp != null) {
      c = c.withAddresses(c.bindHost(), advertiseIp);
    }
    if (pieceTimeout != null) {
      c = c.withTimings(pieceTimeout, c.heartbeat());
    }
    return c;
  }

  /** The flags of {@code dfget server} that carry these settings. */
  public List<String> flags() {
    List<String> out = new ArrayList<>();
    if (uploadLimit >= 0) {
      out.add("--upload-limit");
      out.add(Long.toString(uploadLimit));
    }
    if (keepAlive != null) {
      out.add("--keepalive");
      out.add(keepAlive.toMillis() + "ms");
    }
    if (advertiseIp != null) {
      out.add("--advertise-ip");
      out.add(advertiseIp);
    }
    if (pieceTimeout != null) {
      out.add("--piece-timeout");
      out.add(pieceTimeout.toMillis() + "ms");
    }
    return out;
  }

  @Override
  public String toString() {
    return "upload-limit=" + (uploadLimit < 0 ? "default" : ByteSize.format(uploadLimit) + "/s")
        + " keepalive=" + (keepAlive == null ? "default" : keepAlive) + " advertise-ip=" + advertiseIp;
  }
}
