package io.damselfly.dfdaemon.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobCacheTest {
  @TempDir
  Path dir;

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;
  private final List<String> evictedTasks = new ArrayList<>();

  private String put(BlobCache cache, int size, long seed) throws Exception {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    String key = BlobCache.blobKey(Digest.sha256Of(b));
    Files.write(cache.pathFor(key), b);
    cache.commit(key, "task-" + seed);
    now.set(now.get().plus(Duration.ofSeconds(1)));
    return key;
  }

  @Test
  void evictsLeastRecentlyUsedButNeverAnEntryUnderAReader() throws Exception {
    BlobCache cache = new BlobCache(dir, 3000, 0, clock, evictedTasks::add);
    String a = put(cache, 1000, 1);
    String b = put(cache, 1000, 2);
    String c = put(cache, 1000, 3);
    try (var readA = cache.lease(a).orElseThrow()) {
      now.set(now.get().plus(Duration.ofSeconds(1)));
      cache.lease(c).orElseThrow().close();
      String d = put(cache, 1000, 4);
      assertThat(cache.contains(b)).as("oldest unpinned goes first").isFalse();
      assertThat(cache.contains(a)).as("pinned by a reader").isTrue();
      assertThat(Files.exists(readA.path())).isTrue();
      assertThat(cache.contains(c)).isTrue();
      assertThat(cache.contains(d)).isTrue();
      assertThat(evictedTasks).containsExactly("task-2");
    }
    put(cache, 1000, 5);
    assertThat(cache.contains(a)).as("evictable once the reader left").isFalse();
    assertThat(cache.usedBytes()).isEqualTo(3000);
  }

  @Test
  void reverifiesBlobsLeftByAnEarlierRunAndDropsCorruptOnesAndStrays() throws Exception {
    BlobCache first = new BlobCache(dir, 1 << 20, 0, clock, t -> {});
    String good = put(first, 500, 1);
    String bad = put(first, 500, 2);
    Files.write(first.pathFor(bad), new byte[500]);
    Files.write(dir.resolve(".partial.tmp"), new byte[10]);

    BlobCache second = new BlobCache(dir, 1 << 20, 0, clock, t -> {});
    assertThat(second.usedBytes()).isEqualTo(1000);
    assertThat(second.lease(good)).isPresent();
    assertThat(second.lease(bad)).isEmpty();
    assertThat(Files.exists(dir.resolve(bad))).isFalse();
    assertThat(Files.exists(dir.resolve(".partial.tmp"))).isFalse();
    assertThat(second.usedBytes()).isEqualTo(500);
  }

  @Test
  void aBlobDamagedOnDiskIsCaughtBeforeItIsServedAndRemoved() throws Exception {
    BlobCache cache = new BlobCache(dir, 1 << 20, 0, clock, evictedTasks::add);
    String key = put(cache, 4000, 7);
    try (var fresh = cache.lease(key).orElseThrow()) {
      assertThat(fresh.size()).isEqualTo(4000);
    }
    try (var ch = java.nio.channels.FileChannel.open(cache.pathFor(key), java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 1234); // a stray write: size and name unchanged
    }
    now.set(now.get().plus(BlobCache.TRUST_FOR));

    assertThat(cache.lease(key)).as("hashed again before it is served").isEmpty();
    assertThat(cache.contains(key)).isFalse();
    assertThat(Files.exists(cache.pathFor(key))).isFalse();
    assertThat(cache.damaged()).isEqualTo(1);
    assertThat(evictedTasks).as("the node stops offering it to peers").containsExactly("task-7");
    assertThat(cache.usedBytes()).isZero();
  }
}
