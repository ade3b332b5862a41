package io.damselfly.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The disk rule every cache of the system follows (the supernode's CDN, a peer node's kept files,
 * dfdaemon's blobs): at most {@code maxBytes} in the cache, and never less than {@code minFreeBytes}
 * free on its file system. A new entry that does not fit evicts least-recently-used entries first; one
 * that cannot fit even then is refused before a byte of it is written.
 *
 * @param maxBytes most bytes the cache holds; {@link Long#MAX_VALUE} for no size limit
 * @param minFreeBytes free bytes the file system keeps (the watermark); 0 for none
 */
public record DiskQuota(long maxBytes, long minFreeBytes) {
  /** No size limit and no watermark. */
  public static final DiskQuota UNLIMITED = new DiskQuota(Long.MAX_VALUE, 0);

  public DiskQuota {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("cache size limit must be >= 0 bytes, got " + maxBytes);
    }
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("free-space watermark must be >= 0 bytes, got " + minFreeBytes);
    }
  }

  /** Usable bytes on the file system of {@code dir}; {@link Long#MAX_VALUE} when it cannot be asked. */
  public static long usableSpace(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  /** True when {@code need} more bytes keep the cache within both limits. */
  public boolean fits(long used, long free, long need) {
    return need <= maxBytes && used <= maxBytes - need && free - need >= minFreeBytes;
  }

  /**
   * The least-recently-used entries to evict so that {@code need} more bytes fit, or empty when even
   * evicting every candidate would not make room (then nothing should be evicted).
   *
   * @param lruOrder evictable entries, least recently used first (entries in use must not be listed)
   */
  public <T> Optional<List<T>> victims(List<T> lruOrder, ToLongFunction<T> size, long used, long free, long need) {
    List<T> out = new ArrayList<>();
    long u = used;
    long f = free;
    for (T entry : lruOrder) {
      if (fits(u, f, need)) {
        break;
      }
      long s = size.applyAsLong(entry);
      out.add(entry);
      u -= s;
      f = f > Long.MAX_VALUE - s ? Long.MAX_VALUE : f + s;
    }
    return fits(u, f, need) ? Optional.of(out) : Optional.empty();
  }

  /** Why {@code need} bytes cannot be stored, in one sentence naming the limit that stops it. */
  public String refusal(String what, long used, long free, long need) {
    if (need > maxBytes || used > maxBytes - need) {
      return what + " needs " + ByteSize.format(need) + " but the cache limit is " + ByteSize.format(maxBytes)
          + " and " + ByteSize.format(used) + " of it is in use";
    }
    return what + " needs " + ByteSize.format(need) + " but only " + ByteSize.format(Math.max(0, free))
        + " is free on the disk and " + ByteSize.format(minFreeBytes) + " must stay free";
  }
}
