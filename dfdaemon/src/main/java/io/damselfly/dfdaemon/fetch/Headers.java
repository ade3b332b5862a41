package io.damselfly.dfdaemon.fetch;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the daemon: end-to-end ones pass in order and repeated; hop-by-hop ones stop here. */
public final class Headers {
  private Headers() {}

  public static boolean endToEnd(String name) {
    return !io.damselfly.protocol.Headers.hopByHop(name) && !name.startsWith(":");
  }

  /** Copies the client's end-to-end headers onto an upstream request, every value on its own line. */
  public static void copy(HttpHeaders from, HttpRequest.Builder to) {
    for (Map.Entry<String, String> h : from) {
      if (endToEnd(h.getKey())) {
        to.header(h.getKey(), h.getValue());
      }
    }
  }

  /** The upstream's end-to-end response headers for our answer; Content-Length is set by the server. */
  public static HttpHeaders fromUpstream(java.net.http.HttpHeaders upstream) {
    HttpHeaders out = new DefaultHttpHeaders();
    upstream.map().forEach((name, values) -> {
      if (endToEnd(name)) {
        values.forEach(v -> out.add(name, v));
      }
    });
    return out;
  }

  /** The client's headers as a DownloadRequest carries them to the supernode's origin fetch. */
  public static Map<String, List<String>> forOrigin(HttpHeaders from, Set<String> only) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : from) {
      String lower = h.getKey().toLowerCase(Locale.ROOT);
      if (endToEnd(lower) && (only == null || only.contains(lower)) && !lower.equals("range")
          && !lower.startsWith("if-") && !lower.equals("accept-encoding")) {
        out.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
      }
    }
    return out;
  }
}
