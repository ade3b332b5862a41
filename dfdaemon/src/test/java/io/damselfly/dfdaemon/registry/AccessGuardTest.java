package io.damselfly.dfdaemon.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.fetch.UpstreamClient;
import io.damselfly.dfdaemon.fetch.UpstreamTls;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessGuardTest {
  @TempDir
  Path dir;

  @Test
  void asksTheRegistryOncePerCredentialAndRepositoryWithinTheTtl() throws Exception {
    Path blob = dir.resolve("blob");
    Digest digest = TestFiles.write(blob, 1000, 3);
    String path = "/v2/lib/app/blobs/" + digest;
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
    try (OriginServer registry = OriginServer.start();
        UpstreamClient upstream = new UpstreamClient(UpstreamTls.context(List.of()), Duration.ofSeconds(5),
            Duration.ofSeconds(5))) {
      registry.serve(path, blob);
      String base = "http://127.0.0.1:" + registry.port();
      AccessGuard guard = new AccessGuard(upstream, now::get, Duration.ofSeconds(60));

      AccessGuard.Verdict first = guard.check(base, "lib/app", digest, "Bearer one");
      assertThat(first.allowed()).isTrue();
      assertThat(first.contentLength()).isEqualTo(1000);
      assertThat(guard.check(base, "lib/app", digest, "Bearer one").allowed()).isTrue();
      assertThat(registry.requests(path)).as("the verdict is reused").isEqualTo(1);
      guard.check(base, "lib/app", digest, "Bearer two");
      assertThat(registry.requests(path)).as("another credential is asked for").isEqualTo(2);

      now.set(now.get().plus(Duration.ofSeconds(61)));
      registry.fault(path, OriginServer.Fault.status(401));
      assertThat(guard.check(base, "lib/app", digest, "Bearer one").allowed()).as("expired verdict asked again").isFalse();
      assertThat(guard.check(base, "lib/app", digest, null).allowed()).isFalse();
      assertThat(registry.requests(path)).isEqualTo(4);

      registry.fault(path, OriginServer.Fault.NONE);
      assertThat(guard.check(base, "lib/app", digest, null).allowed()).isTrue();
      assertThat(guard.check(base, "lib/app", digest, "Bearer three").allowed()).as("public repository").isTrue();
      assertThat(registry.requests(path)).isEqualTo(5);
    }
  }
}
