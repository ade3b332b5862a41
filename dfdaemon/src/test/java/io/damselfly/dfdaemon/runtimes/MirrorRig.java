package io.damselfly.dfdaemon.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.Cluster;
import io.damselfly.dfdaemon.Dfdaemon;
import io.damselfly.dfdaemon.Upstream;
import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.registry.CountingFront;
import io.damselfly.testing.registry.OciImage;
import io.damselfly.testing.registry.RegistryProcess;
import io.damselfly.testing.registry.Skopeo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a runtime test pulls through: a real registry (optionally behind basic auth) holding a small image, a
 * {@link CountingFront} counting what the registry sends, a supernode and two daemons ({@code a}, {@code b})
 * mirroring the registry under the name {@value #REGISTRY_NAME} (which resolves nowhere, so only the mirror can
 * serve it), and a second front ({@code spyA}) between runtimes and daemon {@code a} recording what they send.
 */
final class MirrorRig implements AutoCloseable {
  static final String REGISTRY_NAME = "harbor.local";
  static final String REF = REGISTRY_NAME + "/team/app:v1";
  private static final int SETTLE_ATTEMPTS = 600;

  final OciImage image;
  final CountingFront registryFront;
  final Dfdaemon a;
  final Dfdaemon b;
  final CountingFront spyA;
  private final Cluster cluster;
  private final Path dir;
  private final Deque<AutoCloseable> open;

  private MirrorRig(Path dir, OciImage image, CountingFront registryFront, Cluster cluster, Dfdaemon a, Dfdaemon b,
      CountingFront spyA, Deque<AutoCloseable> open) {
    this.dir = dir;
    this.image = image;
    this.registryFront = registryFront;
    this.cluster = cluster;
    this.a = a;
    this.b = b;
    this.spyA = spyA;
    this.open = open;
  }

  /** Starts everything in {@code dir}; the registry asks for {@code user}/{@code password} when user is not null. */
  static MirrorRig start(Path dir, String user, String password) throws Exception {
    Deque<AutoCloseable> open = new ArrayDeque<>();
    try {
      OciImage image = OciImage.random(dir.resolve("image"), "v1", 2024, 3L << 20, 1L << 20);
      RegistryProcess registry = push(RegistryProcess.start(dir.resolve("registry"), user, password), open);
      new Skopeo(dir.resolve("skopeo")).push(image, registry.hostPort(), "team/app", user, password);
      CountingFront front = push(CountingFront.start(registry.url()), open);
      Cluster cluster = push(new Cluster(dir), open);
      Upstream upstream = new Upstream(URI.create(front.url()), List.of(REGISTRY_NAME));
      Dfdaemon a = cluster.daemon("a", c -> c.withRegistries(List.of(upstream)));
      Dfdaemon b = cluster.daemon("b", c -> c.withRegistries(List.of(upstream)));
      CountingFront spyA = push(CountingFront.start("http://127.0.0.1:" + a.port()), open);
      return new MirrorRig(dir, image, front, cluster, a, b, spyA, open);
    } catch (Exception | Error e) {
      try {
        closeAll(open);
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** A containerd hosts directory whose {@code hosts.toml} for {@value #REGISTRY_NAME} names {@code mirror}. */
  Path hostsDir(String name, String mirrorHostPort) throws IOException {
    Path hosts = Files.createDirectories(dir.resolve(name).resolve(REGISTRY_NAME));
    Files.writeString(hosts.resolve("hosts.toml"), "server = \"http://" + REGISTRY_NAME + "\"\n\n[host.\"http://"
        + mirrorHostPort + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
    return hosts.getParent();
  }

  /** A registries.conf that sends pulls of {@value #REGISTRY_NAME} to {@code mirrorHostPort} (plain HTTP). */
  Path registriesConf(String name, String mirrorHostPort) throws IOException {
    return Files.writeString(dir.resolve(name), "[[registry]]\nprefix = \"" + REGISTRY_NAME + "\"\nlocation = \""
        + REGISTRY_NAME + "\"\ninsecure = true\n[[registry.mirror]]\nlocation = \"" + mirrorHostPort
        + "\"\ninsecure = true\n");
  }

  /** {@code host:port} of daemon b, which runtimes reach directly. */
  String mirrorB() {
    return "127.0.0.1:" + b.port();
  }

  /**
   * The image came over P2P: the registry sent every blob's body exactly once, whatever the runtimes pulled
   * through the daemons, and every layer is a finished supernode task held in the cache of both daemons.
   * Daemons commit a blob to their cache just after its last byte went out, so this waits for that (at most a
   * minute, as a guard against hanging) before it fails.
   */
  void assertImageCameOverP2p() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        assertEachBlobLeftTheRegistryOnce();
        assertLayersAreTasksInBothCaches();
        return;
      } catch (AssertionError e) {
        if (attempt >= SETTLE_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Daemon a served every blob of the image to runtimes exactly once (one successful GET each). */
  void assertEveryBlobCameFromA() {
    for (String blob : image.blobs()) {
      assertThat(spyA.blobGets(blob)).as("GETs of blob %s answered by daemon a", blob).isEqualTo(1);
    }
  }

  private void assertEachBlobLeftTheRegistryOnce() throws IOException {
    for (String blob : image.blobs()) {
      assertThat(registryFront.blobGets(blob)).as("registry GETs of %s", blob).isEqualTo(1);
      assertThat(registryFront.blobBytes(blob)).as("registry body bytes of %s", blob)
          .isEqualTo(Files.size(image.blobFile(blob)));
    }
  }

  private void assertLayersAreTasksInBothCaches() throws Exception {
    List<TaskView> tasks = cluster.supernode.scheduler().views(null).get();
    for (String layer : image.layers()) {
      assertThat(tasks).as("supernode tasks").anySatisfy(t -> {
        assertThat(t.url()).endsWith("/blobs/" + layer);
        assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS);
      });
      for (Dfdaemon d : List.of(a, b)) {
        assertThat(d.cache().contains(BlobCache.blobKey(Digest.parse(layer)))).as("cache holds %s", layer).isTrue();
      }
    }
  }

  /** The size of every blob of the image together (config and layers). */
  long imageBlobBytes() throws IOException {
    long sum = 0;
    for (String blob : image.blobs()) {
      sum += Files.size(image.blobFile(blob));
    }
    return sum;
  }

  /** Blob body bytes daemon a sent to runtimes (through {@link #spyA}), over every blob of the image. */
  long blobBytesServedByA() {
    return image.blobs().stream().mapToLong(spyA::blobBytes).sum();
  }

  /** What runtimes sent to daemon a: one line per request (method, target, Accept), for the test's output. */
  String requestsSeenByA() {
    return spyA.requests().stream().map(s -> s.method() + " " + s.uri() + " Accept=" + s.headers().getAll("Accept")
        + (s.headers().contains("Authorization") ? " (with Authorization)" : "")).collect(Collectors.joining("\n"));
  }

  private static <T extends AutoCloseable> T push(T resource, Deque<AutoCloseable> open) {
    open.push(resource);
    return resource;
  }

  private static void closeAll(Deque<AutoCloseable> open) throws Exception {
    Exception first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws Exception {
    closeAll(open);
  }
}
