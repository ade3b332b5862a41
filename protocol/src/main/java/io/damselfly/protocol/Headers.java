package io.damselfly.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HTTP headers as messages carry them: names in the order given, each with its values in order. */
public final class Headers {
  private Headers() {}

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
