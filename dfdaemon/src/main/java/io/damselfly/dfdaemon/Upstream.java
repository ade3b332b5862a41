package io.damselfly.dfdaemon;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A registry the mirror serves.
 *
 * @param url scheme, host and port of the registry, such as {@code https://registry-1.docker.io}
 * @param names values of containerd's {@code ns=} query parameter that select this registry; the URL's
 *     {@code host[:port]} is always one of them
 */
public record Upstream(URI url, List<String> names) {
  public Upstream {
    if (url == null) {
      throw new IllegalArgumentException("registry url must be given");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new IllegalArgumentException("registry url must look like https://host[:port], got '" + url + "'");
    }
    if (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")
        || url.getRawQuery() != null) {
      throw new IllegalArgumentException("registry url must have no path or query, got '" + url + "'");
    }
    url = URI.create(scheme + "://" + url.getRawAuthority());
    List<String> all = new ArrayList<>();
    all.add(url.getRawAuthority().toLowerCase(Locale.ROOT));
    for (String n : names == null ? List.<String>of() : names) {
      if (n == null || n.isBlank()) {
        throw new IllegalArgumentException("registry names must not be blank (registry " + url + ")");
      }
      all.add(n.trim().toLowerCase(Locale.ROOT));
    }
    names = List.copyOf(all);
  }

  /** Parses {@code --registry URL}. */
  public static Upstream parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("--registry must be a URL such as https://registry-1.docker.io, got nothing");
    }
    try {
      return new Upstream(new URI(url.trim()), List.of());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--registry must be a URL such as https://index.docker.io, got '" + url + "'");
    }
  }

  /** The URL of {@code path} (starting with '/') on this registry. */
  public String resolve(String pathAndQuery) {
    return url + pathAndQuery;
  }
}
