package io.damselfly.supernode.cdn;

import io.damselfly.common.TaskId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over a task another supernode started: reads the longest prefix of verified pieces the cluster
 * holds into a fresh CDN directory, journaled as a fetch of its own, so the origin is asked only for the rest
 * (with {@code If-Range}) or not at all.
 */
final class AdoptedPrefix {
  private static final Logger LOG = LoggerFactory.getLogger(AdoptedPrefix.class);

  private AdoptedPrefix() {}

  /**
   * The task with its adopted prefix, ready to resume; null when nothing can be continued (no piece came and
   * the origin gave no validator to resume against): the caller fetches afresh.
   */
  static CdnTask fill(Path root, String key, ClusterHooks.Adoption a, Instant now) {
    CdnMeta meta = new CdnMeta(a.taskId(), key, a.url(), a.contentLength(), a.pieceSize(), a.etag(),
        a.lastModified(), null, List.of(), 0, 0);
    Path dir = root.resolve(a.taskId());
    CdnStore.deleteQuietly(dir);
    List<String> got = new ArrayList<>();
    long stored = 0;
    try {
      Files.createDirectories(dir);
      CdnTask shell = CdnTask.restored(meta, List.of(), 0, dir, now);
      try (FileChannel out = FileChannel.open(shell.dataFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileChannel journal = CdnJournal.begin(shell)) {
        byte[] buf = new byte[a.pieceSize()];
        TaskId id = TaskId.of(a.taskId());
        for (int i = 0; i < a.digests().size() && stored < a.contentLength(); i++) {
          int len = (int) Math.min(a.pieceSize(), a.contentLength() - stored);
          if (!a.source().fetch(id, i, stored, buf, len, a.digests().get(i))) {
            break;
          }
          ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
          for (long at = stored; b.hasRemaining(); ) {
            at += out.write(b, at);
          }
          CdnJournal.append(journal, a.digests().get(i));
          got.add(a.digests().get(i));
          stored += len;
        }
        out.force(false);
      }
    } catch (IOException e) {
      LOG.warn("cdn cannot take over task {}: {}", a.taskId(), e.toString());
      CdnStore.deleteQuietly(dir);
      return null;
    }
    if (stored < a.contentLength() && !meta.resumable()) {
      CdnStore.deleteQuietly(dir);
      return null;
    }
    LOG.info("cdn takes over task {}: {} of {} bytes from the cluster, the rest from the origin", a.taskId(), stored,
        a.contentLength());
    return CdnTask.restored(meta, got, stored, dir, now);
  }
}
