package io.damselfly.common;

/** A {@code host[:port]} pair as used in node lists; the port defaults per use. */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank() || host.contains("/") || host.contains(" ")) {
      throw new IllegalArgumentException("host must be a name or address without '/' or spaces, got '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
    }
  }

  /** Parses {@code host}, {@code host:port} or {@code [v6]:port}. */
  public static HostPort parse(String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("address must be host or host:port, got nothing");
    }
    String t = text.trim();
    String host = t;
    int port = defaultPort;
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("address must close '[' of an IPv6 host, got '" + text + "'");
      }
      host = t.substring(1, end);
      if (end + 1 < t.length()) {
        port = parsePort(text, t.substring(end + 1));
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') == colon) {
        host = t.substring(0, colon);
        port = parsePort(text, t.substring(colon));
      }
    }
    return new HostPort(host, port);
  }

  private static int parsePort(String text, String suffix) {
    if (!suffix.startsWith(":")) {
      throw new IllegalArgumentException("address must be host or host:port, got '" + text + "'");
    }
    try {
      return Integer.parseInt(suffix.substring(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port must be a number in address '" + text + "'");
    }
  }

  /** The authority for a URL: {@code host:port}, IPv6 hosts in brackets. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return authority();
  }
}
