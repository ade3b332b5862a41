package io.damselfly.peer.store;

import io.damselfly.common.Digest;
import io.damselfly.common.DiskQuota;
import io.damselfly.common.TaskId;
import io.damselfly.transport.PieceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this host serves to other peers: files being downloaded (served piece by piece as each is
 * verified) and complete files kept in {@code <data>/tasks/} for the keep-alive period.
 */
public final class TaskFiles implements PieceFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TaskFiles.class);
  private final Path dir;
  private final InstantSource clock;
  private final Map<TaskId, HeldFile> files = new ConcurrentHashMap<>();
  private final DiskQuota quota;

  /** Opens the store in {@code dataDir} without a size limit; files left by an earlier run are removed. */
  public TaskFiles(Path dataDir, InstantSource clock) {
    this(dataDir, clock, DiskQuota.UNLIMITED);
  }

  /**
   * Opens the store in {@code dataDir}; files left by an earlier run are removed (their verification is not
   * known, so they are never served). Finished files beyond {@code quota} are evicted least recently used first.
   */
  public TaskFiles(Path dataDir, InstantSource clock, DiskQuota quota) {
    this.dir = dataDir.resolve("tasks");
    this.clock = clock;
    this.quota = quota;
    try {
      Files.createDirectories(dir);
      try (var old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare task directory " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ServedFile> lookup(TaskId taskId) {
    return Optional.ofNullable(files.get(taskId));
  }

  /** The task's file as held here, complete or not, without counting as use. */
  public Optional<HeldFile> held(TaskId taskId) {
    return Optional.ofNullable(files.get(taskId));
  }

  /** A complete, verified copy of the task held here, if any. */
  public Optional<HeldFile> completed(TaskId taskId) {
    HeldFile f = files.get(taskId);
    if (f == null || !f.complete()) {
      return Optional.empty();
    }
    f.touch();
    return Optional.of(f);
  }

  /** True while a complete copy of {@code taskId} is served (does not count as use). */
  public boolean serving(TaskId taskId) {
    HeldFile f = files.get(taskId);
    return f != null && f.complete();
  }

  /** Starts serving {@code path} for {@code taskId} piece by piece as pieces are marked held. */
  public HeldFile downloading(TaskId taskId, Path path, int pieceSize, long totalLength) {
    HeldFile f = new HeldFile(taskId, path, pieceSize, totalLength, clock);
    files.put(taskId, f);
    return f;
  }

  /** Tracks pieces of a file that is not offered to other peers ({@code --pattern cdn}). */
  public HeldFile unserved(TaskId taskId, Path path, int pieceSize, long totalLength) {
    return new HeldFile(taskId, path, pieceSize, totalLength, clock);
  }

  /**
   * The download of {@code file} is verified: keeps a link (or, across file systems, a copy) in the
   * data directory so the host goes on serving it after the output is renamed or removed.
   */
  public void complete(HeldFile file, long length, Digest sha256) throws IOException {
    Path kept = dir.resolve(file.taskId().value() + ".data");
    Files.deleteIfExists(kept);
    try {
      Files.createLink(kept, file.path());
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(file.path(), kept, StandardCopyOption.REPLACE_EXISTING);
    }
    file.completeAt(kept, length, sha256);
    makeRoom(file);
  }

  /** Evicts finished files, least recently used first, until the kept ones fit the quota. */
  private void makeRoom(HeldFile keep) {
    List<HeldFile> lru = files.values().stream().filter(f -> f.complete() && f != keep)
        .sorted(Comparator.comparing(HeldFile::lastUsed)).toList();
    long used = files.values().stream().filter(HeldFile::complete).mapToLong(HeldFile::totalLength).sum();
    List<HeldFile> victims = quota.victims(lru, HeldFile::totalLength, used, DiskQuota.usableSpace(dir), 0).orElse(lru);
    for (HeldFile f : victims) {
      if (files.remove(f.taskId(), f)) {
        delete(f);
        LOG.info("evicted task {} ({} bytes) from the node's kept files to stay within {}", f.taskId(),
            f.totalLength(), quota);
      }
    }
  }

  private static void delete(HeldFile f) {
    try {
      Files.deleteIfExists(f.path());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", f.path(), e.getMessage());
    }
  }

  /**
   * Stops serving a failed or cancelled download, or a complete copy that can no longer be trusted
   * (whose kept file is then deleted).
   */
  public void abandon(HeldFile file) {
    if (files.remove(file.taskId(), file) && file.complete()) {
      try {
        Files.deleteIfExists(file.path());
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", file.path(), e.getMessage());
      }
    }
  }

  /** Removes complete files unused for {@code idle}; returns how many remain. */
  public int expire(Duration idle) {
    var cutoff = clock.instant().minus(idle);
    for (HeldFile f : List.copyOf(files.values())) {
      if (f.complete() && f.lastUsed().isBefore(cutoff) && files.remove(f.taskId(), f)) {
        try {
          Files.deleteIfExists(f.path());
          LOG.info("stopped serving task {} after {} idle", f.taskId(), idle);
        } catch (IOException e) {
          LOG.warn("cannot delete {}: {}", f.path(), e.getMessage());
        }
      }
    }
    return files.size();
  }

  /** The newest time any held file was used, or the epoch when none. */
  public java.time.Instant lastActivity() {
    return files.values().stream().map(HeldFile::lastUsed).max(java.time.Instant::compareTo)
        .orElse(java.time.Instant.EPOCH);
  }

  public long uploadedBytes() {
    return files.values().stream().mapToLong(HeldFile::uploadedBytes).sum();
  }
}
