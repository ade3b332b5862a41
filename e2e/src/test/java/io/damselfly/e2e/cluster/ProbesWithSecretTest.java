package io.damselfly.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.ClusterAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode process with a cluster secret, as Kubernetes and Prometheus see it: readiness and liveness need
 * nothing, metrics need the read-only token given with {@code --metrics-token}, everything else the secret.
 */
class ProbesWithSecretTest {
  private static final String SECRET = "cluster-secret-for-probes";
  private static final String TOKEN = "metrics-token-for-prometheus";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesAndScrapesWorkWithoutTheSecret() throws Exception {
    try (Sandbox sandbox = Sandbox.in(dir.resolve("run"));
        SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
            List.of(), List.of("--metrics-token", TOKEN), ClusterAccess.NONE.withSecret(SECRET))) {
      assertThat(get(sn, ProtocolV1.READY, null).statusCode()).isEqualTo(200);
      assertThat(get(sn, ProtocolV1.PING, null).statusCode()).isEqualTo(200);
      assertThat(get(sn, ProtocolV1.METRICS, null).statusCode()).isEqualTo(401);
      HttpResponse<String> scrape = get(sn, ProtocolV1.METRICS, "Bearer " + TOKEN);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("damselfly_cdn_repairs_total").doesNotContain(SECRET);
      assertThat(get(sn, ProtocolV1.TASKS, "Bearer " + TOKEN).statusCode()).as("the token opens nothing else")
          .isEqualTo(401);
      assertThat(sn.tasks()).as("the secret still works").isEmpty();
    }
  }

  private HttpResponse<String> get(SupernodeProcess sn, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + sn.node() + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
