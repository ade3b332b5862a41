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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry with basic auth: credentials flow through the mirror, and refused clients never get blob bytes. */
class PrivateRegistryTest {
  @TempDir
  Path dir;

  @Test
  void pullsWithCredentialsAndRefusesBlobsToClientsTheRegistryWouldRefuse() throws Exception {
    OciImage image = OciImage.random(dir.resolve("image"), "v1", 11, 2L << 20, 50_000);
    Skopeo skopeo = new Skopeo(dir.resolve("skopeo"));
    try (RegistryProcess registry = RegistryProcess.start(dir.resolve("registry"), "alice", "s3cret");
        CountingFront front = CountingFront.start(registry.url());
        Cluster cluster = new Cluster(dir);
        HttpClient http = HttpClient.newHttpClient()) {
      skopeo.push(image, registry.hostPort(), "private/app", "alice", "s3cret");
      Dfdaemon a = cluster.daemon("a", c -> c.withRegistries(List.of(Upstream.parse(front.url()))));
      Dfdaemon b = cluster.daemon("b", c -> c.withRegistries(List.of(Upstream.parse(front.url()))));
      String mirror = "127.0.0.1:" + a.port();
      Path conf = skopeo.registriesConf("registries.conf", "harbor.local", mirror);
      Path auth = skopeo.authFile("auth.json", mirror, "alice", "s3cret");
      skopeo.pull(conf, auth, "harbor.local/private/app:v1", dir.resolve("out"));
      String layer = image.layers().get(0);
      Path pulled = dir.resolve("out").resolve(layer.substring(7));
      assertThat(Digest.sha256Of(Files.readAllBytes(pulled)).toString()).isEqualTo(layer);
      long registryBytes = front.blobBytes(layer);
      assertThat(registryBytes).isEqualTo(Files.size(image.blobFile(layer)));

      for (Dfdaemon d : List.of(b, a)) {
        String url = "http://127.0.0.1:" + d.port() + "/v2/private/app/blobs/" + layer;
        HttpResponse<byte[]> anonymous = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Basic"));
        assertThat(anonymous.body().length).isLessThan(4096);

        HttpResponse<byte[]> wrong = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", basic("alice", "guess")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body().length).isLessThan(4096);
      }

      HttpResponse<byte[]> right = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + b.port() + "/v2/private/app/blobs/" + layer))
          .header("Authorization", basic("alice", "s3cret")).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.headers().firstValue("Docker-Content-Digest")).hasValue(layer);
      assertThat(Digest.sha256Of(right.body()).toString()).isEqualTo(layer);
      assertThat(front.blobBytes(layer)).as("the second daemon got the layer over P2P").isEqualTo(registryBytes);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
