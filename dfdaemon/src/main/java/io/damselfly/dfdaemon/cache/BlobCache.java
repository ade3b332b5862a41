package io.damselfly.dfdaemon.cache;

import io.damselfly.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's files on disk, one per key: {@code sha256-HEX} for registry blobs (reused by digest) and
 * {@code task-ID} for proxied downloads (kept only for the byte count while peers fetch them). Bounded by
 * a size limit and a free-disk watermark; the least recently used unpinned entries go first. A reader
 * holds a {@link Lease} and its entry is never evicted under it. A blob is hashed again before it is
 * served unless it was verified within the last {@link #TRUST_FOR} (blobs left by an earlier run are never
 * trusted): one damaged on disk is removed, never served, and fetched again by the caller.
 */
public final class BlobCache {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCache.class);
  private static final String BLOB_PREFIX = "sha256-";
  /**
   * How long a verified blob is served without hashing it again: the requests of one pull (HEAD, GET, a
   * retried range) cost one hash, and a blob damaged on disk is caught at the next pull.
   */
  public static final Duration TRUST_FOR = Duration.ofSeconds(5);

  private static final class Entry {
    final String key;
    final Path path;
    final long size;
    final String taskId;
    Instant lastUsed;
    int readers;
    /** When the file last had its digest (task entries are not hashed: null), or null for never. */
    Instant verifiedAt;

    Entry(String key, Path path, long size, String taskId, Instant lastUsed, Instant verifiedAt) {
      this.key = key;
      this.path = path;
      this.size = size;
      this.taskId = taskId;
      this.lastUsed = lastUsed;
      this.verifiedAt = verifiedAt;
    }
  }

  /** A pinned entry: its file stays until closed. */
  public final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    public Path path() {
      return entry.path;
    }

    public long size() {
      return entry.size;
    }

    @Override
    public void close() {
      synchronized (BlobCache.this) {
        if (!closed) {
          closed = true;
          entry.readers--;
        }
      }
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long minFreeBytes;
  private final InstantSource clock;
  private final Consumer<String> onEvictTask;
  private final Map<String, Entry> entries = new HashMap<>();
  private long used;
  private long evictions;
  private long damaged;

  /**
   * Opens the cache in {@code dir}, indexing blobs an earlier run left (unverified until used) and removing
   * everything else there.
   *
   * @param onEvictTask called with the task id of an evicted entry, so the node stops offering it to peers
   */
  public BlobCache(Path dir, long maxBytes, long minFreeBytes, InstantSource clock, Consumer<String> onEvictTask) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.minFreeBytes = minFreeBytes;
    this.clock = clock;
    this.onEvictTask = onEvictTask;
    try {
      Files.createDirectories(dir);
      try (var old = Files.list(dir)) {
        for (Path p : old.toList()) {
          String name = p.getFileName().toString();
          if (name.startsWith(BLOB_PREFIX) && isDigest(name) && Files.isRegularFile(p)) {
            long size = Files.size(p);
            entries.put(name, new Entry(name, p, size, null, Files.getLastModifiedTime(p).toInstant(), null));
            used += size;
          } else {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the cache in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The cache key of a blob. */
  public static String blobKey(Digest digest) {
    return BLOB_PREFIX + digest.hex();
  }

  /** Where the file of {@code key} lives (a download writes it there, then calls {@link #commit}). */
  public Path pathFor(String key) {
    return dir.resolve(key);
  }

  /** Pins and returns the entry of {@code key}, verifying a blob from an earlier run first; empty when absent. */
  public Optional<Lease> lease(String key) {
    Entry e;
    synchronized (this) {
      e = entries.get(key);
      if (e == null) {
        return Optional.empty();
      }
      e.readers++;
      e.lastUsed = clock.instant();
    }
    Lease lease = new Lease(e);
    if (e.key.startsWith(BLOB_PREFIX) && !verify(e)) {
      lease.close();
      return Optional.empty();
    }
    return Optional.of(lease);
  }

  /** Records the complete file at {@link #pathFor(String) pathFor(key)}, then evicts as needed. */
  public void commit(String key, String taskId) throws IOException {
    Path p = pathFor(key);
    long size = Files.size(p);
    synchronized (this) {
      Entry old = entries.remove(key);
      if (old != null) {
        used -= old.size;
      }
      entries.put(key, new Entry(key, p, size, taskId, clock.instant(), clock.instant()));
      used += size;
    }
    evict(key);
  }

  /** Bytes of all entries. */
  public synchronized long usedBytes() {
    return used;
  }

  /** Entries evicted since the cache opened. */
  public synchronized long evictions() {
    return evictions;
  }

  /** Blobs found damaged on disk and removed since the cache opened. */
  public synchronized long damaged() {
    return damaged;
  }

  public synchronized boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** Evicts least recently used unpinned entries while over the size limit or under the free-disk watermark. */
  public void evict() {
    evict(null);
  }

  private void evict(String keep) {
    List<Entry> gone = new ArrayList<>();
    synchronized (this) {
      List<Entry> lru = new ArrayList<>(entries.values());
      lru.sort(Comparator.comparing((Entry e) -> e.lastUsed));
      long free = freeBytes();
      for (Entry e : lru) {
        if (used <= maxBytes && free >= minFreeBytes) {
          break;
        }
        if (e.readers > 0 || e.key.equals(keep)) {
          continue;
        }
        entries.remove(e.key);
        evictions++;
        used -= e.size;
        free += e.size;
        gone.add(e);
      }
    }
    for (Entry e : gone) {
      try {
        Files.deleteIfExists(e.path);
      } catch (IOException ex) {
        LOG.warn("cannot delete evicted {}: {}", e.path, ex.getMessage());
      }
      if (e.taskId != null) {
        onEvictTask.accept(e.taskId);
      }
      LOG.info("evicted {} ({} bytes) from the cache", e.key, e.size);
    }
  }

  private long freeBytes() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Hashes the blob unless verified within {@link #TRUST_FOR}; a damaged one is removed (false). */
  private boolean verify(Entry e) {
    synchronized (e) {
      Instant now = clock.instant();
      if (e.verifiedAt != null && now.isBefore(e.verifiedAt.plus(TRUST_FOR))) {
        return true;
      }
      MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
      try (InputStream in = Files.newInputStream(e.path)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
          md.update(buf, 0, n);
        }
      } catch (IOException ex) {
        LOG.warn("cannot read cached {}: {}", e.path, ex.getMessage());
      }
      boolean ok = Digest.of(Digest.Algorithm.SHA256, md).hex().equals(e.key.substring(BLOB_PREFIX.length()));
      if (ok) {
        e.verifiedAt = now;
        return true;
      }
      LOG.warn("cached {} does not match its digest (damaged on disk); removed, it is fetched again", e.path);
      synchronized (this) {
        if (entries.remove(e.key, e)) {
          used -= e.size;
          damaged++;
        }
      }
      if (e.taskId != null) {
        onEvictTask.accept(e.taskId); // the node stops offering its pieces to peers
      }
      try {
        Files.deleteIfExists(e.path);
      } catch (IOException ignored) {
        // gone from the index: never served
      }
      return false;
    }
  }

  private static boolean isDigest(String name) {
    try {
      Digest.sha256(name.substring(BLOB_PREFIX.length()));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
