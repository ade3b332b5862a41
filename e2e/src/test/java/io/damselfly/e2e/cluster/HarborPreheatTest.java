package io.damselfly.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.Dfdaemon;
import io.damselfly.dfdaemon.Upstream;
import io.damselfly.protocol.Json;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.supernode.cluster.ClusterConfig;
import io.damselfly.supernode.preheat.PreheatAuth;
import io.damselfly.testing.registry.CountingFront;
import io.damselfly.testing.registry.OciImage;
import io.damselfly.testing.registry.RegistryProcess;
import io.damselfly.testing.registry.Skopeo;
import io.damselfly.transport.ClusterAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Harbor's preheat requests, as its Dragonfly 1 driver and its Dragonfly 2 (manager open API) driver send
 * them, with each of Harbor's auth modes, against a real registry holding an image; once the job reports
 * SUCCESS, a real skopeo pull through dfdaemon gets every blob while the registry sends no blob again.
 */
class HarborPreheatTest {
  private static final String ADMIN = "admin-token-12345";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void harborPreheatsThenPullsGoOverTheCdnOnly() throws Exception {
    OciImage image = OciImage.random(dir.resolve("image"), "v1", 5, 6L << 20, 1L << 20, 200_000);
    Skopeo skopeo = new Skopeo(dir.resolve("skopeo"));
    try (RegistryProcess registry = RegistryProcess.start(dir.resolve("registry"));
        CountingFront front = CountingFront.start(registry.url());
        Supernode basic = supernode("basic", "basic:harbor:s3cret");
        Supernode header = supernode("header", "header:X-Harbor-Key:k3y-value");
        Supernode none = supernode("none", "none")) {
      skopeo.push(image, registry.hostPort(), "team/app", null, null);
      String manifestUrl = front.url() + "/v2/team/app/manifests/v1";
      String harborBody = Json.writeString(java.util.Map.of("type", "image", "url", manifestUrl,
          "headers", java.util.Map.of("Accept", "application/vnd.oci.image.manifest.v1+json"),
          "image", "team/app", "tag", "v1", "digest", image.manifest()));
      String basicAuth = "Basic " + Base64.getEncoder().encodeToString("harbor:s3cret".getBytes(StandardCharsets.UTF_8));

      // Dragonfly 1 contract, Harbor's "Basic" mode
      assertThat(send(basic, "GET", "/_ping", null, "Authorization", basicAuth).statusCode()).isEqualTo(200);
      assertThat(send(basic, "POST", "/preheats", harborBody, "Authorization", "Basic d3Jvbmc6d3Jvbmc=").statusCode())
          .as("wrong basic credentials").isIn(401, 403);
      HttpResponse<String> created = send(basic, "POST", "/preheats", harborBody, "Authorization", basicAuth);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      String id = Json.mapper().readTree(created.body()).get("ID").asText();
      JsonNode status = awaitDf1(basic, id, "Authorization", basicAuth);
      assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("SUCCESS");
      assertThat(status.get("startTime").asText()).isNotEmpty();
      assertThat(status.get("finishTime").asText()).isNotEmpty();
      for (String blob : image.blobs()) {
        if (!blob.equals(image.manifest())) {
          assertThat(front.blobGets(blob)).as("registry GETs of %s while preheating", blob).isEqualTo(1);
        }
      }
      HttpResponse<String> again = send(basic, "POST", "/preheats", harborBody, "Authorization", basicAuth);
      assertThat(again.statusCode()).as("the same image again is the same, finished job").isEqualTo(208);
      assertThat(Json.mapper().readTree(again.body()).get("ID").asText()).isEqualTo(id);

      // Dragonfly 2 manager open API, Harbor's "OAuth" (bearer token) mode
      String df2Body = Json.writeString(java.util.Map.of("type", "preheat", "args", java.util.Map.of("type", "image",
          "url", manifestUrl, "headers", java.util.Map.of(), "scope", "single_seed_peer"),
          "scheduler_cluster_ids", List.of(1)));
      assertThat(send(basic, "GET", "/healthy", null, "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(200);
      HttpResponse<String> job = send(basic, "POST", "/oapi/v1/jobs", df2Body, "Authorization", "Bearer " + ADMIN);
      assertThat(job.statusCode()).as(job.body()).isEqualTo(200);
      JsonNode j = Json.mapper().readTree(job.body());
      JsonNode done = awaitDf2(basic, j.get("id").asLong());
      assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCESS");
      assertThat(done.at("/result/job_states/0/results/0/success_tasks")).hasSize(image.blobs().size());

      // Harbor's "Custom" header mode and "None" mode, on supernodes of their own (their CDNs fetch again)
      assertThat(send(header, "POST", "/preheats", harborBody).statusCode()).as("no header").isIn(401, 403);
      HttpResponse<String> h = send(header, "POST", "/preheats", harborBody, "X-Harbor-Key", "k3y-value");
      assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
      assertThat(awaitDf1(header, Json.mapper().readTree(h.body()).get("ID").asText(), "X-Harbor-Key", "k3y-value")
          .get("status").asText()).isEqualTo("SUCCESS");
      HttpResponse<String> n = send(none, "POST", "/preheats", harborBody);
      assertThat(n.statusCode()).as(n.body()).isEqualTo(200);
      assertThat(awaitDf1(none, Json.mapper().readTree(n.body()).get("ID").asText()).get("status").asText())
          .isEqualTo("SUCCESS");
      assertThat(send(basic, "GET", "/preheats/nope", null, "Authorization", basicAuth).statusCode()).isEqualTo(404);

      // pulls through dfdaemon of the first supernode: no blob leaves the registry again
      java.util.Map<String, Long> before = new java.util.HashMap<>();
      for (String blob : image.blobs()) {
        before.put(blob, front.blobGets(blob));
      }
      try (Dfdaemon daemon = Dfdaemon.start(DaemonConfig.defaults(dir.resolve("daemon")).withPort(0)
          .withBindHost("127.0.0.1").withSupernodes(List.of("127.0.0.1:" + basic.apiPort()))
          .withUpload(0, 0, 0, "127.0.0.1").withRegistries(List.of(Upstream.parse(front.url()))), InstantSource.system())) {
        Path conf = skopeo.registriesConf("registries.conf", "harbor.local", "127.0.0.1:" + daemon.port());
        Path out = dir.resolve("pulled");
        skopeo.pull(conf, null, "harbor.local/team/app:v1", out);
        for (String blob : image.blobs()) {
          Path got = out.resolve(blob.substring("sha256:".length()));
          assertThat(Digest.sha256Of(Files.readAllBytes(got)).toString()).isEqualTo(blob);
          if (!blob.equals(image.manifest())) {
            assertThat(front.blobGets(blob)).as("registry blob GETs of %s after the pull", blob).isEqualTo(before.get(blob));
          }
        }
      }
    }
  }

  private Supernode supernode(String name, String auth) {
    SupernodeConfig c = SupernodeConfig.forTests(dir.resolve("sn-" + name)).withAccess(ClusterAccess.NONE, ADMIN);
    return Supernode.start(c, ClusterConfig.defaults(), PreheatAuth.parse(auth), InstantSource.system());
  }

  private HttpResponse<String> send(Supernode sn, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sn.apiPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitDf1(Supernode sn, String id, String... auth) throws Exception {
    for (int i = 0; i < 1200; i++) {
      HttpResponse<String> r = send(sn, "GET", "/preheats/" + id, null, auth);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode s = Json.mapper().readTree(r.body());
      if (s.get("status").asText().equals("SUCCESS") || s.get("status").asText().equals("FAILED")) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("preheat " + id + " did not end");
  }

  private JsonNode awaitDf2(Supernode sn, long id) throws Exception {
    for (int i = 0; i < 1200; i++) {
      HttpResponse<String> r = send(sn, "GET", "/oapi/v1/jobs/" + id, null, "Authorization", "Bearer " + ADMIN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode s = Json.mapper().readTree(r.body());
      if (!s.get("state").asText().equals("PENDING")) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + id + " did not end");
  }
}
