package io.damselfly.dfdaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.Digest;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no supernode reachable, blobs come from the registry itself, still verified against their digest. */
class FallbackTest {
  @TempDir
  Path dir;

  @Test
  void servesVerifiedBlobsFromTheRegistryWhenP2pFailsAndNeverACompleteWrongOne() throws Exception {
    Path good = dir.resolve("good");
    Digest digest = TestFiles.write(good, 700_000, 9);
    Path other = dir.resolve("other");
    TestFiles.write(other, 700_000, 10);
    Digest claimed = Digest.sha256("ab".repeat(32));
    try (OriginServer registry = OriginServer.start();
        HttpClient http = HttpClient.newHttpClient()) {
      registry.serve("/v2/lib/app/blobs/" + digest, good).serve("/v2/lib/app/blobs/" + claimed, other);
      DaemonConfig c = DaemonConfig.defaults(dir.resolve("d")).withPort(0).withBindHost("127.0.0.1")
          .withRegistries(List.of(Upstream.parse("http://127.0.0.1:" + registry.port())))
          .withSupernodes(List.of("127.0.0.1:1"));
      try (Dfdaemon d = Dfdaemon.start(c, InstantSource.system())) {
        String base = "http://127.0.0.1:" + d.port() + "/v2/lib/app/blobs/";
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + digest)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Files.readAllBytes(good));

        HttpResponse<byte[]> ranged = http.send(HttpRequest.newBuilder(URI.create(base + digest))
            .header("Range", "bytes=10-19").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).hasSize(10);

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(base + claimed)).build(),
            HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
        assertThat(d.cache().contains("sha256-" + claimed.hex())).isFalse();
      }
    }
  }
}
