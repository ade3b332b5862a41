package io.damselfly.cli;

import io.damselfly.common.ByteSize;
import io.damselfly.common.Durations;
import io.damselfly.common.HostPort;
import io.damselfly.protocol.ProtocolV1;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Parsers for flag values; each failure is a usage error naming the flag and the expected form. */
public final class CliValues {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private CliValues() {}

  /** A rate in bytes per second: {@code 20M}, {@code 512K} or a number of bytes; 0 means no cap. */
  public static long rate(String flag, String text) {
    try {
      return ByteSize.parse(flag, text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage() + " (bytes per second)");
    }
  }

  /** A duration in the grammar of {@link Durations} ({@code 30}, {@code 30s}, {@code 5m}), at most a year. */
  public static Duration duration(String flag, String text) {
    Duration d;
    try {
      d = Durations.parse(flag, text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (d.isNegative()) {
      throw CliException.usage(flag + " must not be negative, got '" + text + "'");
    }
    if (d.compareTo(Duration.ofDays(365)) > 0) {
      throw CliException.usage(flag + " must be at most a year, got '" + text + "'");
    }
    return d;
  }

  /** {@code --header} values ({@code "Name: value"}) in order; repeated names keep every value. */
  public static Map<String, List<String>> headers(List<String> values) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String h : values) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? "" : h.substring(0, colon).trim();
      if (!TOKEN.matcher(name).matches() || h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
        throw CliException.usage("--header must look like 'Name: value' with a name of letters, digits or -, got '"
            + h + "'");
      }
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(h.substring(colon + 1).trim());
    }
    return out;
  }

  /** {@code --filter} values: query parameter names separated by '&amp;' (as originally) or ','. */
  public static List<String> filter(List<String> values) {
    List<String> names = new ArrayList<>();
    for (String v : values) {
      for (String name : v.split("[&,]")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    return names;
  }

  /** {@code --node} values: {@code host[:port]} separated by ',' (default port 8002). */
  public static List<HostPort> nodes(String where, List<String> values) {
    List<HostPort> nodes = new ArrayList<>();
    for (String v : values) {
      for (String one : v.split(",")) {
        if (one.isBlank()) {
          continue;
        }
        try {
          HostPort node = HostPort.parse(one, ProtocolV1.DEFAULT_API_PORT);
          if (new URI("http://" + node.authority() + "/").getHost() == null) {
            throw new IllegalArgumentException("'" + one.trim() + "' is not a valid host name or address");
          }
          nodes.add(node);
        } catch (URISyntaxException e) {
          throw CliException.usage(where + " must list supernodes as host[:port],...: '" + one.trim()
              + "' is not a valid host name or address");
        } catch (IllegalArgumentException e) {
          throw CliException.usage(where + " must list supernodes as host[:port],...: " + e.getMessage());
        }
      }
    }
    return nodes;
  }
}
