package io.damselfly.dfdaemon.fetch;

import io.damselfly.peer.download.DownloadJob;
import io.damselfly.peer.download.NodeContext;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ProgressEvent;
import java.util.concurrent.CompletableFuture;

/**
 * One download through the embedded peer node, shared by every client that asks for the same content
 * while it runs. Its file can be read in order as verified pieces arrive; the end says where the whole,
 * verified file is (a cache key) or that the download failed.
 */
public final class P2pFetch {
  /** How a fetch ended: {@code cacheKey} holds the file when {@code ok}. */
  public record End(boolean ok, String cacheKey, ProgressEvent event) {}

  private final String key;
  private final java.nio.file.Path output;
  private final DownloadJob job;
  private final NodeContext node;
  private final CompletableFuture<End> end = new CompletableFuture<>();

  P2pFetch(String key, java.nio.file.Path output, NodeContext node, DownloadRequest request) {
    this.key = key;
    this.output = output;
    this.node = node;
    this.job = new DownloadJob(node, request);
  }

  public String key() {
    return key;
  }

  java.nio.file.Path output() {
    return output;
  }

  /** Completes when the download ended (successfully or not). */
  public CompletableFuture<End> end() {
    return end;
  }

  /** The file being downloaded, once pieces started to arrive and while the node still serves it; else null. */
  HeldFile servingFile() {
    var f = job.servingFile();
    if (!f.isDone() || f.isCompletedExceptionally()) {
      return null;
    }
    HeldFile held = f.join();
    return node.files().lookup(held.taskId()).orElse(null) == held ? held : null;
  }

  /** The content length as soon as it is known, else -1. */
  long knownLength() {
    HeldFile h = servingFile();
    if (h != null && h.totalLength() >= 0) {
      return h.totalLength();
    }
    return -1;
  }

  /**
   * Waits at most {@code maxMillis} for news: a piece beyond the {@code seen} held ({@link HeldFile#heldCount()};
   * -1 while there was no file yet), the file appearing, or the end of the fetch.
   */
  void awaitChange(int seen, long maxMillis) throws InterruptedException {
    HeldFile h = seen >= 0 ? servingFile() : null;
    if (h != null) {
      h.awaitMore(seen, maxMillis);
      return;
    }
    try {
      CompletableFuture<?> file = job.servingFile();
      // a file future that failed (the download took another route) says nothing more: wait for the end then
      (file.isCompletedExceptionally() ? end : CompletableFuture.anyOf(file, end))
          .get(maxMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // look again
    }
  }

  ProgressEvent run() {
    return job.run();
  }

  void finish(End e) {
    end.complete(e);
  }
}
