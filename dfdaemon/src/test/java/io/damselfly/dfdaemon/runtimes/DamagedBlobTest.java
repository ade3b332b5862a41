package io.damselfly.dfdaemon.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.Dfdaemon;
import io.damselfly.dfdaemon.Upstream;
import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.registry.CountingFront;
import io.damselfly.testing.registry.OciImage;
import io.damselfly.testing.registry.RegistryProcess;
import io.damselfly.testing.registry.Skopeo;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs in dfdaemon's cache are damaged on disk between two pulls (a real registry, a real skopeo): the second
 * pull gets every blob right, because each damaged one is caught before it is served, removed, and fetched
 * again over P2P.
 */
class DamagedBlobTest {
  @TempDir Path dir;

  /** Real time, moved ahead by the test past the cache's trust window instead of sleeping through it. */
  private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
  private final InstantSource clock = () -> Instant.now().plus(ahead.get());

  @Test
  void damagedCachedBlobsAreCaughtRemovedAndFetchedAgain() throws Exception {
    OciImage image = OciImage.random(dir.resolve("image"), "v1", 2025, 3L << 20, 1L << 20);
    Skopeo skopeo = new Skopeo(dir.resolve("skopeo"));
    try (RegistryProcess registry = RegistryProcess.start(dir.resolve("registry"), null, null);
        CountingFront front = CountingFront.start(registry.url());
        Supernode supernode = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")),
            InstantSource.system())) {
      skopeo.push(image, registry.hostPort(), "team/app", null, null);
      DaemonConfig config = DaemonConfig.defaults(dir.resolve("daemon")).withPort(0).withBindHost("127.0.0.1")
          .withSupernodes(List.of("127.0.0.1:" + supernode.apiPort())).withUpload(0, 0, 0, "127.0.0.1")
          .withRegistries(List.of(new Upstream(URI.create(front.url()), List.of(MirrorRig.REGISTRY_NAME))));
      try (Dfdaemon daemon = Dfdaemon.start(config, clock)) {
        Path conf = skopeo.registriesConf("registries.conf", MirrorRig.REGISTRY_NAME, "127.0.0.1:" + daemon.port());
        skopeo.pull(conf, null, MirrorRig.REF, dir.resolve("first"));
        for (String layer : image.layers()) {
          awaitCached(daemon.cache(), layer);
          Path cached = daemon.cache().pathFor(BlobCache.blobKey(Digest.parse(layer)));
          try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x13, 0x37}), Files.size(cached) / 2); // a stray write in place
          }
        }
        ahead.set(BlobCache.TRUST_FOR);

        Path out = dir.resolve("second");
        skopeo.pull(conf, null, MirrorRig.REF, out);

        for (String blob : image.blobs()) {
          Path got = out.resolve(blob.substring("sha256:".length()));
          assertThat(Digest.sha256Of(Files.readAllBytes(got)).toString()).as("pulled %s", blob).isEqualTo(blob);
        }
        assertThat(daemon.cache().damaged()).as("damaged blobs caught").isEqualTo(image.layers().size());
        for (String layer : image.layers()) {
          awaitCached(daemon.cache(), layer);
          Path again = daemon.cache().pathFor(BlobCache.blobKey(Digest.parse(layer)));
          assertThat(Digest.sha256Of(Files.readAllBytes(again)).toString()).as("cached again, whole").isEqualTo(layer);
          assertThat(front.blobGets(layer)).as("fetched again over P2P, not from the registry").isEqualTo(1);
        }
      }
    }
  }

  /** Daemons commit a blob just after its last byte went out: waits for that (bounded). */
  private static void awaitCached(BlobCache cache, String digest) throws InterruptedException {
    String key = BlobCache.blobKey(Digest.parse(digest));
    for (int i = 0; i < 600 && !cache.contains(key); i++) {
      Thread.sleep(100);
    }
    assertThat(cache.contains(key)).as("cache holds %s", digest).isTrue();
  }
}
