package io.damselfly.supernode;

import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.cdn.CdnStore;
import io.damselfly.supernode.cdn.ClusterHooks;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.cdn.OriginClient;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/**
 * A real CDN over a real origin, for tests: an {@link OriginServer}, an {@link OriginClient} and a
 * {@link CdnStore}, closed together. Tests wait for a fetch through the store's change callback.
 */
public final class TestCdn implements AutoCloseable {
  /** Only stops a broken test from hanging; a healthy loopback fetch of a few MiB never comes near it. */
  public static final Duration GUARD = Duration.ofSeconds(30);
  /** The peer named in registrations; the CDN does not look at it. */
  public static final PeerAddress PEER = new PeerAddress("peer-0", "127.0.0.1", 0);

  private final Path dir;
  private final InstantSource clock;
  private final Duration revalidateAfter;
  private final OriginServer origin;
  private final OriginClient client;
  private final Object changed = new Object();
  private CdnStore store;
  private io.damselfly.common.DiskQuota quota = io.damselfly.common.DiskQuota.UNLIMITED;

  private TestCdn(Path dir, InstantSource clock, Duration revalidateAfter) throws IOException {
    this.dir = dir;
    this.clock = clock;
    this.revalidateAfter = revalidateAfter;
    this.origin = OriginServer.start();
    this.client = new OriginClient(Duration.ofSeconds(5), Duration.ofSeconds(10));
    this.store = openStore();
  }

  /** Starts an origin and a CDN keeping its files under {@code dir/supernode}. */
  public static TestCdn start(Path dir, InstantSource clock, Duration revalidateAfter) throws IOException {
    return new TestCdn(dir, clock, revalidateAfter);
  }

  /** The CDN cuts test files into 256 KiB pieces, so that small files have many. */
  public static final int SMALL_PIECES = 256 * 1024;

  private CdnStore openStore() {
    return new CdnStore(dataDir(), client, clock, revalidateAfter, quota, ClusterHooks.NONE, SMALL_PIECES, t -> {
      synchronized (changed) {
        changed.notifyAll();
      }
    });
  }

  public OriginServer origin() {
    return origin;
  }

  public CdnStore store() {
    return store;
  }

  /** The supernode's data directory (the CDN keeps its files in {@code cdn/} below it). */
  public Path dataDir() {
    return dir.resolve("supernode");
  }

  /** Writes {@code size} deterministic bytes from {@code seed} and serves them at {@code path}. */
  public Path serve(String path, long size, long seed) throws IOException {
    Path files = Files.createDirectories(dir.resolve("origin"));
    Path file = files.resolve(path.replace('/', '_') + "." + seed);
    TestFiles.write(file, size, seed);
    origin.serve(path, file);
    return file;
  }

  /** A registration of the origin's {@code path} with no expected digest. */
  public RegisterRequest request(String path) {
    return request(path, null);
  }

  public RegisterRequest request(String path, String expectedDigest) {
    return new RegisterRequest(origin.url(path), null, null, null, expectedDigest, PEER);
  }

  public CdnTask resolve(String path) {
    return store.resolve(request(path));
  }

  /** Resolves {@code path} and waits until the CDN holds all of it. */
  public CdnTask fetched(String path) throws InterruptedException {
    return await(resolve(path), TaskStatus.SUCCESS);
  }

  /** Waits until {@code task} reaches {@code status}; fails at once when it ends in the other one. */
  public CdnTask await(CdnTask task, TaskStatus status) throws InterruptedException {
    long end = System.nanoTime() + GUARD.toNanos();
    synchronized (changed) {
      while (task.status() != status) {
        if (task.status() != TaskStatus.RUNNING) {
          throw new AssertionError("task " + task.id() + " ended " + task.status() + " (" + task.error()
              + "), expected " + status);
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("task " + task.id() + " did not reach " + status + " within " + GUARD);
        }
        changed.wait(Math.max(1, left / 1_000_000));
      }
    }
    return task;
  }

  /** Closes the store and opens a new one over the same directory, as a restarted supernode does. */
  public CdnStore restart() {
    store.close();
    store = openStore();
    return store;
  }

  /** As {@link #restart()}, the new store keeping to {@code limits}. */
  public CdnStore restart(io.damselfly.common.DiskQuota limits) {
    quota = limits;
    return restart();
  }

  @Override
  public void close() {
    store.close();
    client.close();
    origin.close();
  }
}
