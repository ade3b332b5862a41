package io.damselfly.protocol;

import java.util.List;
import java.util.Map;

/**
 * A peer asks to download {@code url}.
 *
 * @param url http or https URL of the origin file (checked as {@link TaskIdentity#parseOriginUrl} does)
 * @param headers headers the supernode sends to the origin (auth included); may be empty
 * @param identifier extra task identity given with {@code --identifier}; may be null
 * @param filter query parameter names dropped from the URL for task identity ({@code --filter})
 * @param expectedDigest {@code md5:HEX} or {@code sha256:HEX} the file must have; may be null
 * @param peer who asks and where it uploads
 */
public record RegisterRequest(
    String url,
    Map<String, List<String>> headers,
    String identifier,
    List<String> filter,
    String expectedDigest,
    PeerAddress peer) {
  public RegisterRequest {
    if (peer == null) {
      throw new IllegalArgumentException("peer must be given");
    }
    TaskIdentity.parseOriginUrl(url);
    if (expectedDigest != null) {
      io.damselfly.common.Digest.parse(expectedDigest);
    }
    headers = Headers.ordered(headers);
    filter = filter == null ? List.of() : List.copyOf(filter);
  }
}
