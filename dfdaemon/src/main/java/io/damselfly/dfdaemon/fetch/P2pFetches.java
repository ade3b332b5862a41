package io.damselfly.dfdaemon.fetch;

import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.peer.download.NodeContext;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ProgressEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's downloads in flight, one per content: a second client asking for a blob being downloaded
 * reads the same download. Each runs on a virtual thread of an executor this object owns, to its end
 * even when its clients go away (the next pull wants it); a finished file is committed to the cache.
 */
public final class P2pFetches implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(P2pFetches.class);
  private final NodeContext node;
  private final BlobCache cache;
  private final Path tmpDir;
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("p2p-fetch-", 0).factory());
  private final Map<String, P2pFetch> inFlight = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<ProgressEvent> onEnd;

  public P2pFetches(NodeContext node, BlobCache cache, Path tmpDir) throws IOException {
    this(node, cache, tmpDir, e -> { });
  }

  /** Downloads whose last progress event (done or error) also goes to {@code onEnd} (metrics). */
  public P2pFetches(NodeContext node, BlobCache cache, Path tmpDir, java.util.function.Consumer<ProgressEvent> onEnd)
      throws IOException {
    this.onEnd = onEnd;
    this.node = node;
    this.cache = cache;
    this.tmpDir = tmpDir;
    Files.createDirectories(tmpDir);
    try (var old = Files.list(tmpDir)) {
      for (Path p : old.toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The download of {@code cacheKey}, started now when none runs. {@code blob} downloads write straight to
   * the cache file; others to a temporary file renamed to {@code task-ID} once the task id is known.
   *
   * @param request makes the request from the output path to write
   */
  public P2pFetch obtain(String cacheKey, boolean blob, Function<String, DownloadRequest> request) {
    P2pFetch[] started = new P2pFetch[1];
    P2pFetch f = inFlight.computeIfAbsent(cacheKey, k -> {
      Path out = blob ? cache.pathFor(k) : tmpDir.resolve(Integer.toHexString(k.hashCode()) + "-" + System.nanoTime());
      P2pFetch fetch = new P2pFetch(k, out, node, request.apply(out.toString()));
      started[0] = fetch;
      return fetch;
    });
    if (started[0] != null) {
      executor.execute(() -> run(started[0], blob));
    }
    return f;
  }

  private void run(P2pFetch f, boolean blob) {
    P2pFetch.End end = new P2pFetch.End(false, null, null);
    try {
      ProgressEvent e = f.run();
      onEnd.accept(e);
      if (e.type() != ProgressEvent.Type.DONE) {
        LOG.warn("p2p download of {} failed: {}", f.key(), e.message());
        end = new P2pFetch.End(false, null, e);
      } else {
        end = new P2pFetch.End(true, commit(f, e, blob), e);
      }
    } catch (IOException | RuntimeException ex) {
      LOG.warn("p2p download of {} could not be kept: {}", f.key(), ex.toString());
    } finally {
      inFlight.remove(f.key(), f);
      f.finish(end);
    }
  }

  private String commit(P2pFetch f, ProgressEvent e, boolean blob) throws IOException {
    if (blob) {
      cache.commit(f.key(), e.taskId());
      return f.key();
    }
    String key = "task-" + e.taskId();
    Files.move(f.output(), cache.pathFor(key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    cache.commit(key, e.taskId());
    return key;
  }

  /** Downloads running now. */
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
