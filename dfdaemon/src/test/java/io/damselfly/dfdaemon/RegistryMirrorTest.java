package io.damselfly.dfdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.testing.registry.CountingFront;
import io.damselfly.testing.registry.OciImage;
import io.damselfly.testing.registry.RegistryProcess;
import io.damselfly.testing.registry.Skopeo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real skopeo pulls through three daemons mirroring a real registry: every blob leaves the registry once. */
class RegistryMirrorTest {
  private static final String MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json";

  @TempDir
  Path dir;

  @Test
  void threeConcurrentPullsThroughThreeMirrorsFetchEachBlobFromTheRegistryOnce() throws Exception {
    OciImage image = OciImage.random(dir.resolve("image"), "v1", 42, 33L << 20, 3L << 20, 300_000);
    Skopeo skopeo = new Skopeo(dir.resolve("skopeo"));
    try (RegistryProcess registry = RegistryProcess.start(dir.resolve("registry"));
        CountingFront front = CountingFront.start(registry.url());
        Cluster cluster = new Cluster(dir)) {
      skopeo.push(image, registry.hostPort(), "team/app", null, null);
      List<Dfdaemon> daemons = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        daemons.add(cluster.daemon("d" + i, c -> c.withRegistries(List.of(Upstream.parse(front.url())))));
      }
      List<Callable<String>> pulls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Path conf = skopeo.registriesConf("registries-" + i + ".conf", "harbor.local", "127.0.0.1:" + daemons.get(i).port());
        Path out = dir.resolve("out" + i);
        pulls.add(() -> skopeo.pull(conf, null, "harbor.local/team/app:v1", out));
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        for (Future<String> f : pool.invokeAll(pulls)) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      for (int i = 0; i < 3; i++) {
        for (String blob : image.blobs()) {
          Path got = dir.resolve("out" + i).resolve(blob.substring("sha256:".length()));
          assertThat(Digest.sha256Of(Files.readAllBytes(got)).toString()).isEqualTo(blob);
        }
      }
      for (String blob : image.blobs()) {
        assertThat(front.blobBytes(blob)).as("registry body bytes of %s", blob).isEqualTo(Files.size(image.blobFile(blob)));
        assertThat(front.blobGets(blob)).as("registry GETs of %s", blob).isEqualTo(1);
      }
      assertThat(daemons.get(0).cache().contains("sha256-" + image.layers().get(0).substring(7))).isTrue();
    }
  }

  @Test
  void manifestRequestsKeepEveryAcceptHeaderAndTheRegistryAnswer() throws Exception {
    OciImage image = OciImage.random(dir.resolve("image"), "v1", 7, 1000);
    Skopeo skopeo = new Skopeo(dir.resolve("skopeo"));
    try (RegistryProcess registry = RegistryProcess.start(dir.resolve("registry"));
        CountingFront front = CountingFront.start(registry.url());
        Cluster cluster = new Cluster(dir);
        HttpClient http = HttpClient.newHttpClient()) {
      skopeo.push(image, registry.hostPort(), "team/app", null, null);
      Dfdaemon d = cluster.daemon("d", c -> c.withRegistries(List.of(Upstream.parse(front.url()))));
      HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/v2/team/app/manifests/v1"))
          .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
          .header("Accept", "application/vnd.docker.distribution.manifest.list.v2+json")
          .header("Accept", MANIFEST_ACCEPT)
          .build();
      HttpResponse<byte[]> r = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifest());
      assertThat(Digest.sha256Of(r.body()).toString()).isEqualTo(image.manifest());
      CountingFront.Seen seen = front.requests().stream().filter(s -> s.path().endsWith("/manifests/v1")).findFirst()
          .orElseThrow();
      assertThat(seen.headers().getAll("Accept")).hasSize(3).contains(MANIFEST_ACCEPT);

      HttpResponse<byte[]> missing = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + d.port() + "/v2/team/app/manifests/nope")).header("Accept", MANIFEST_ACCEPT)
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(new String(missing.body())).contains("MANIFEST_UNKNOWN");

      String byNs = "http://127.0.0.1:" + d.port() + "/v2/team/app/manifests/" + image.manifest() + "?ns=";
      HttpResponse<byte[]> known = http.send(HttpRequest.newBuilder(URI.create(byNs + front.hostPort()))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", MANIFEST_ACCEPT).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(known.statusCode()).isEqualTo(200);
      assertThat(known.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(image.blobFile(image.manifest())));
      assertThat(front.requests().getLast().uri()).endsWith("/manifests/" + image.manifest());
      HttpResponse<byte[]> unknown = http.send(HttpRequest.newBuilder(URI.create(byNs + "quay.io")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(unknown.statusCode()).isEqualTo(404);
    }
  }
}
