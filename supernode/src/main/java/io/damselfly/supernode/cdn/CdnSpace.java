package io.damselfly.supernode.cdn;

import io.damselfly.common.DiskQuota;
import io.damselfly.protocol.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The CDN's disk budget ({@link DiskQuota}): a fetch of known length reserves its whole length when it
 * starts; one of unknown length asks piece by piece. Room is made by evicting complete tasks, least
 * recently used first, never one used within {@link #IN_USE} (peers may still be fetching from it).
 */
final class CdnSpace {
  /** A task registered for or served from within this long is in use and never evicted. */
  static final Duration IN_USE = Duration.ofSeconds(30);

  private final Path root;
  private final DiskQuota quota;

  CdnSpace(Path root, DiskQuota quota) {
    this.root = root;
    this.quota = quota;
  }

  DiskQuota quota() {
    return quota;
  }

  /**
   * Makes room for {@code need} more bytes among {@code tasks}, evicting through {@code evict}; returns
   * why it cannot, or null when the bytes fit (then they count as reserved by the caller's task).
   */
  synchronized String admit(Collection<CdnTask> tasks, long need, String what, Instant now, Consumer<CdnTask> evict) {
    long used = 0;
    long pending = 0;
    for (CdnTask t : tasks) {
      if (t.gone()) {
        continue;
      }
      boolean reserving = t.status() == TaskStatus.RUNNING && t.layout().lengthKnown();
      used += reserving ? t.layout().contentLength() : t.storedBytes();
      pending += reserving ? t.layout().contentLength() - t.storedBytes() : 0;
    }
    long usable = DiskQuota.usableSpace(root);
    long free = usable == Long.MAX_VALUE ? usable : usable - pending;
    Instant cutoff = now.minus(IN_USE);
    List<CdnTask> idle = tasks.stream()
        .filter(t -> t.status() == TaskStatus.SUCCESS && t.lastUsed().isBefore(cutoff))
        .sorted(Comparator.comparing(CdnTask::lastUsed)).toList();
    Optional<List<CdnTask>> victims = quota.victims(idle, CdnTask::storedBytes, used, free, need);
    if (victims.isEmpty()) {
      return quota.refusal(what, used, free, need);
    }
    victims.get().forEach(evict);
    return null;
  }
}
