package io.damselfly.supernode.preheat;

import io.damselfly.protocol.Headers;
import io.damselfly.protocol.TaskIdentity;
import java.util.List;
import java.util.Map;

/**
 * What to preheat, whichever contract asked.
 *
 * @param image true for an image (url names a manifest or index), false for one file
 * @param url http(s) URL of the file or the manifest
 * @param headers sent to the origin or registry (auth included)
 * @param platforms for an index, the platforms to preheat ({@code os/arch[/variant]}); empty = all
 * @param digest the image digest Harbor names, or null
 */
public record PreheatRequest(boolean image, String url, Map<String, List<String>> headers, List<String> platforms,
    String digest) {
  public PreheatRequest {
    TaskIdentity.parseOriginUrl(url);
    headers = Headers.ordered(headers);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  /** The same content preheated twice is one job: an image by its digest when known, else by URL. */
  String identity() {
    String what = image && digest != null && !digest.isBlank() ? "digest " + digest
        : "url " + TaskIdentity.normaliseUrl(url, List.of());
    return (image ? "image " : "file ") + what + " " + platforms;
  }

  /** Harbor sends header values as strings (or lists); anything else is refused. */
  static Map<String, List<String>> headers(Map<String, ?> raw) {
    java.util.LinkedHashMap<String, List<String>> out = new java.util.LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((k, v) -> {
        if (v instanceof String s) {
          out.put(k, List.of(s));
        } else if (v instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
          out.put(k, l.stream().map(String.class::cast).toList());
        } else if (v != null) {
          throw new IllegalArgumentException("header " + k + " must be a string or a list of strings");
        }
      });
    }
    return out;
  }
}
