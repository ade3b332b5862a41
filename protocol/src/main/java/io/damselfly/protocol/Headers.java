package io.damselfly.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP headers as messages carry them: names in the order given, each with its values in order; and the one
 * set of headers that never cross a hop.
 */
public final class Headers {
  /**
   * Hop-by-hop headers (RFC 9110 7.6.1, with the legacy {@code keep-alive} and {@code proxy-connection}), proxy
   * credentials, and the framing headers an HTTP client sets itself: never forwarded to an origin, an upstream or
   * a client, in lower case.
   */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "proxy-authorization", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "content-length", "expect", "http2-settings");

  private Headers() {}

  /** True for a header that stops at this hop (any case); see {@link #HOP_BY_HOP}. */
  public static boolean hopByHop(String name) {
    return HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT));
  }

  /** An unmodifiable copy that keeps the order of names and values; null becomes empty. */
  public static Map<String, List<String>> ordered(Map<String, List<String>> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> {
      if (name == null || values == null) {
        throw new IllegalArgumentException("headers must not hold a null name or value list");
      }
      copy.put(name, List.copyOf(values));
    });
    return Collections.unmodifiableMap(copy);
  }
}
