package io.damselfly.supernode.preheat;

import com.fasterxml.jackson.databind.JsonNode;
import io.damselfly.common.Digest;
import io.damselfly.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The blobs of an image, from its manifest URL ({@code …/v2/<repo>/manifests/<tag|digest>}): the config and
 * layers of a manifest; for an index (or Docker manifest list) those of each platform's manifest, or of the
 * selected platforms only.
 */
final class ImageBlobs {
  /** One blob to warm: its URL and digest (the task is named by the digest). */
  record Blob(String url, String digest) {}

  private static final String ACCEPT = String.join(", ",
      "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;

  ImageBlobs(HttpClient http) {
    this.http = http;
  }

  List<Blob> of(String manifestUrl, Map<String, List<String>> headers, List<String> platforms)
      throws IOException, InterruptedException {
    URI uri = URI.create(manifestUrl);
    String path = uri.getRawPath();
    int at = path == null ? -1 : path.lastIndexOf("/manifests/");
    if (at < 0 || !path.startsWith("/v2/")) {
      throw new IllegalArgumentException("an image url must be a manifest URL (…/v2/<repository>/manifests/<tag or digest>), got " + manifestUrl);
    }
    String base = uri.getScheme() + "://" + uri.getRawAuthority() + path.substring(0, at);
    JsonNode top = fetch(uri, headers);
    Set<Blob> blobs = new LinkedHashSet<>();
    JsonNode manifests = top.get("manifests");
    if (manifests != null && manifests.isArray()) {
      int matched = 0;
      for (JsonNode m : manifests) {
        if (selected(m.get("platform"), platforms)) {
          matched++;
          addBlobs(base, fetch(URI.create(base + "/manifests/" + digest(m)), headers), blobs);
        }
      }
      if (matched == 0) {
        throw new IllegalArgumentException("the index has no manifest for the platforms " + platforms);
      }
    } else {
      addBlobs(base, top, blobs);
    }
    return new ArrayList<>(blobs);
  }

  private static boolean selected(JsonNode platform, List<String> wanted) {
    if (wanted.isEmpty()) {
      return true;
    }
    if (platform == null) {
      return false;
    }
    String name = platform.path("os").asText() + "/" + platform.path("architecture").asText();
    String variant = platform.path("variant").asText("");
    return wanted.contains(name) || (!variant.isEmpty() && wanted.contains(name + "/" + variant));
  }

  private static void addBlobs(String base, JsonNode manifest, Set<Blob> into) {
    JsonNode config = manifest.get("config");
    JsonNode layers = manifest.get("layers");
    if (config == null || layers == null || !layers.isArray()) {
      throw new IllegalArgumentException("the manifest has no config and layers (not an image manifest)");
    }
    into.add(blob(base, config));
    for (JsonNode l : layers) {
      into.add(blob(base, l));
    }
  }

  private static Blob blob(String base, JsonNode descriptor) {
    String d = digest(descriptor);
    return new Blob(base + "/blobs/" + d, d);
  }

  private static String digest(JsonNode descriptor) {
    String d = descriptor.path("digest").asText(null);
    Digest.parse(d); // validates form
    return d;
  }

  private JsonNode fetch(URI uri, Map<String, List<String>> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().header("Accept", ACCEPT);
    headers.forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("the registry answered " + r.statusCode() + " for " + uri);
    }
    return Json.mapper().readTree(r.body());
  }
}
