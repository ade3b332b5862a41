package io.damselfly.benchmarks.micro;

import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.cdn.CdnStore;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.cdn.OriginClient;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A real CDN over a real loopback origin, in this process: the scheduler benchmark's tasks are real
 * {@link CdnTask}s whose pieces the CDN fetched and stored, as in a supernode.
 */
final class SimCdn implements AutoCloseable {
  private static final PeerAddress FIRST = new PeerAddress("bench-0", "127.0.0.1", 0);
  private final Path dir;
  private final OriginServer origin;
  private final OriginClient client;
  private final CdnStore store;
  private final Object changed = new Object();

  SimCdn(Path dir) throws IOException {
    this.dir = dir;
    this.origin = OriginServer.start();
    this.client = new OriginClient(Duration.ofSeconds(10), Duration.ofSeconds(30));
    this.store = new CdnStore(dir.resolve("supernode"), client, InstantSource.system(), Duration.ofHours(1), t -> {
      synchronized (changed) {
        changed.notifyAll();
      }
    });
  }

  /** {@code count} tasks of {@code size} bytes each (one file served under {@code count} URLs), all stored. */
  List<CdnTask> tasks(int count, long size) throws IOException, InterruptedException {
    Path file = Files.createDirectories(dir.resolve("origin")).resolve("f-" + size + ".bin");
    TestFiles.write(file, size, size);
    List<CdnTask> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String path = "/t" + i + "-" + size + ".bin";
      origin.serve(path, file);
      out.add(store.resolve(new RegisterRequest(origin.url(path), null, null, null, null, FIRST)));
    }
    for (CdnTask t : out) {
      await(t);
    }
    return out;
  }

  private void await(CdnTask t) throws InterruptedException {
    synchronized (changed) {
      while (t.status() == TaskStatus.RUNNING) {
        changed.wait(100);
      }
    }
    if (t.status() != TaskStatus.SUCCESS) {
      throw new IllegalStateException("the CDN could not fetch " + t.url() + ": " + t.error());
    }
  }

  @Override
  public void close() {
    store.close();
    client.close();
    origin.close();
  }
}
