package io.damselfly.protocol;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The task identity rule of docs/PROTOCOL.md: one task per content.
 *
 * <ul>
 *   <li>With an expected {@code sha256:} digest the content is named by the digest alone: the
 *       key material is {@code "content\n" + digest}. One container layer pulled through many
 *       repositories, tags or signed URLs is one task.
 *   <li>Otherwise the key material is {@code "url\n" + normalisedUrl + "\nid\n" + identifier +
 *       "\nmd5\n" + md5}, where the URL loses the query parameters named by {@code --filter} and its
 *       fragment, and empty parts are empty strings.
 * </ul>
 *
 * The task key is the first 32 hex digits of the SHA-256 of the key material. The task id is the
 * key, a '-', and a version: {@code c} for content-addressed tasks (their content cannot change),
 * else the first 12 hex digits of the SHA-256 of the origin's validator (ETag, else Last-Modified
 * and length), so a changed origin file is a new task.
 */
public final class TaskIdentity {
  private TaskIdentity() {}

  /** The task key for a registration. */
  public static String key(String url, Collection<String> filter, String identifier, Digest expected) {
    String material;
    if (expected != null && expected.algorithm() == Digest.Algorithm.SHA256) {
      material = "content\n" + expected;
    } else {
      material =
          "url\n" + normaliseUrl(url, filter)
              + "\nid\n" + (identifier == null ? "" : identifier)
              + "\nmd5\n" + (expected == null ? "" : expected.hex());
    }
    return sha256Hex(material).substring(0, 32);
  }

  /** True when the key names content by digest, so the task never needs revalidation. */
  public static boolean contentAddressed(Digest expected) {
    return expected != null && expected.algorithm() == Digest.Algorithm.SHA256;
  }

  /** The task id of the content version described by {@code validator} (null for content-addressed). */
  public static TaskId taskId(String key, String validator) {
    String version = validator == null ? "c" : sha256Hex(validator).substring(0, 12);
    return TaskId.of(key + "-" + version);
  }

  /**
   * Validates an origin URL and drops the filtered query parameters and the fragment.
   *
   * @throws IllegalArgumentException when the URL is not absolute http or https
   */
  public static String normaliseUrl(String url, Collection<String> filter) {
    URI uri = parseOriginUrl(url);
    String query = uri.getRawQuery();
    String kept = null;
    if (query != null) {
      Set<String> drop = filter == null ? Set.of() : Set.copyOf(filter);
      List<String> parts = new ArrayList<>();
      for (String part : query.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        if (!drop.contains(name)) {
          parts.add(part);
        }
      }
      kept = parts.isEmpty() ? null : String.join("&", parts);
    }
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme().toLowerCase(Locale.ROOT)).append("://").append(uri.getRawAuthority());
    out.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    if (kept != null) {
      out.append('?').append(kept);
    }
    return out.toString();
  }

  /** Parses an origin URL: absolute, http or https, with a host. */
  public static URI parseOriginUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url must be an http or https URL, got nothing");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url is not a valid URL: '" + url + "' (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("url must start with http:// or https://, got '" + url + "'");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("url must name a host, got '" + url + "'");
    }
    return uri;
  }

  static String sha256Hex(String s) {
    var md = Digest.Algorithm.SHA256.newMessageDigest();
    return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
