package io.damselfly.supernode.cdn;

import io.damselfly.common.Digest;
import io.damselfly.common.DiskQuota;
import io.damselfly.common.PieceLayout;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.TaskIdentity;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.transport.PieceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDN: resolves a registration to the current content version of its task key, fetching the
 * origin once per version (single flight per key), revalidating stored files with conditional GETs,
 * and serving stored pieces. Layout: {@code <dataDir>/cdn/<taskId>/data} and {@code meta.json}.
 */
public final class CdnStore implements PieceFiles, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CdnStore.class);

  private final Path root;
  private final OriginClient origin;
  private final InstantSource clock;
  private final Duration revalidateAfter;
  private final Consumer<CdnTask> onChange;
  private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, CdnTask> currentByKey = new ConcurrentHashMap<>();
  private final Map<TaskId, CdnTask> byId = new ConcurrentHashMap<>();
  /**
   * One lock per task key, held across the origin's GET of a registration: a lock that parks a virtual thread
   * without pinning its carrier (a monitor held over blocking I/O pins it on JDK 21).
   */
  private final Map<String, ReentrantLock> keyLocks = new ConcurrentHashMap<>();
  /** Verified prefixes of fetches an earlier run did not finish, by task key: resumed on registration. */
  private final Map<String, CdnTask> resumable = new ConcurrentHashMap<>();
  private final CdnSpace space;
  private final java.util.concurrent.atomic.AtomicLong evictions = new java.util.concurrent.atomic.AtomicLong();
  private final ClusterHooks cluster;
  private final PieceRepair repair;
  private final int minPieceSize;

  /** A CDN without a size limit or free-space watermark. */
  public CdnStore(Path dataDir, OriginClient origin, InstantSource clock, Duration revalidateAfter,
      Consumer<CdnTask> onChange) {
    this(dataDir, origin, clock, revalidateAfter, DiskQuota.UNLIMITED, onChange);
  }

  /**
   * @param quota the CDN's size limit and the free space its disk keeps; complete tasks are evicted (least
   *     recently used first) to make room, and a fetch that cannot fit is refused before it starts
   */
  public CdnStore(Path dataDir, OriginClient origin, InstantSource clock, Duration revalidateAfter, DiskQuota quota,
      Consumer<CdnTask> onChange) {
    this(dataDir, origin, clock, revalidateAfter, quota, ClusterHooks.NONE, onChange);
  }

  /** @param cluster who owns which task key, and tasks other supernodes started (see {@link ClusterHooks}) */
  public CdnStore(Path dataDir, OriginClient origin, InstantSource clock, Duration revalidateAfter, DiskQuota quota,
      ClusterHooks cluster, Consumer<CdnTask> onChange) {
    this(dataDir, origin, clock, revalidateAfter, quota, cluster, PieceLayout.DEFAULT_MIN_PIECE_SIZE, onChange);
  }

  /** @param minPieceSize the smallest piece size new files are cut into ({@link PieceLayout#forLength(long, int)}) */
  public CdnStore(Path dataDir, OriginClient origin, InstantSource clock, Duration revalidateAfter, DiskQuota quota,
      ClusterHooks cluster, int minPieceSize, Consumer<CdnTask> onChange) {
    this.minPieceSize = PieceLayout.checkMinPieceSize(minPieceSize);
    this.cluster = cluster;
    this.root = dataDir.resolve("cdn");
    this.origin = origin;
    this.clock = clock;
    this.revalidateAfter = revalidateAfter;
    this.onChange = onChange;
    this.space = new CdnSpace(root, quota);
    this.repair = new PieceRepair(origin, clock, fetchers, onChange);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the CDN directory " + root, e);
    }
    restore();
  }

  /** The task version serving this registration; fetches or revalidates as needed. */
  public CdnTask resolve(RegisterRequest request) {
    Digest expected = request.expectedDigest() == null ? null : Digest.parse(request.expectedDigest());
    String key = TaskIdentity.key(request.url(), request.filter(), request.identifier(), expected);
    cluster.checkOwner(key);
    ReentrantLock lock = keyLock(key);
    lock.lock();
    try {
      CdnTask current = currentByKey.get(key);
      if (current != null && !current.gone()) {
        current.touch(clock.instant());
        current.requested(request);
        if (!current.lostPieces().isEmpty()) {
          repair.retryLost(current);
        }
        if (TaskIdentity.contentAddressed(expected) || current.status() == TaskStatus.RUNNING
            || clock.instant().isBefore(current.validatedAt().plus(revalidateAfter))) {
          return current;
        }
        HttpResponse<InputStream> r = origin.get(request, current.etag(), current.lastModified());
        if (r.statusCode() == 304) {
          OriginClient.discard(r);
          current.validated(clock.instant());
          return current;
        }
        return start(key, request, expected, r);
      }
      CdnTask partial = resumable.remove(key);
      if (partial == null) { // another supernode of the cluster started it: continue its version
        partial = cluster.adoption(key).map(a -> AdoptedPrefix.fill(root, key, a, clock.instant())).orElse(null);
      }
      if (partial != null) {
        return resume(partial, request, expected);
      }
      return start(key, request, expected, origin.get(request, null, null));
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock keyLock(String key) {
    return keyLocks.computeIfAbsent(key, k -> new ReentrantLock());
  }

  /**
   * Continues a fetch an earlier run left: asks the origin for the rest of the same version (If-Range),
   * so the verified pieces on disk are not fetched again. Another answer means the version changed (or
   * the origin ignores Range): the old pieces are dropped and the fetch starts over.
   */
  private CdnTask resume(CdnTask partial, RegisterRequest request, Digest expected) {
    long length = partial.layout().contentLength();
    InputStream rest;
    if (length >= 0 && partial.storedBytes() == length) {
      rest = InputStream.nullInputStream();
    } else {
      HttpResponse<InputStream> r = origin.getFrom(request, partial.storedBytes(), validator(partial));
      int status = r.statusCode();
      if (status / 100 != 2 && status != 416) {
        OriginClient.discard(r);
        resumable.put(partial.key(), partial);
        throw new ApiException(ErrorCode.ORIGIN_ERROR, "origin answered " + status + " for " + request.url(), status, null);
      }
      if (OriginClient.rangeStart(r) != partial.storedBytes()) {
        LOG.info("cdn cannot resume task {} (origin answered {}); fetching it afresh", partial.id(), status);
        deleteQuietly(partial.dir());
        if (status != 200) {
          OriginClient.discard(r);
          r = origin.get(request, null, null);
        }
        return start(partial.key(), request, expected, r);
      }
      rest = r.body();
    }
    partial.requested(request);
    byId.put(partial.id(), partial);
    currentByKey.put(partial.key(), partial);
    LOG.info("cdn resumes task {} from {} verified bytes on disk", partial.id(), partial.storedBytes());
    launch(partial, rest, length, expected, request);
    return partial;
  }

  private static String validator(CdnTask t) {
    return t.etag() != null ? t.etag() : t.lastModified();
  }

  private void launch(CdnTask task, InputStream body, long length, Digest expected, RegisterRequest request) {
    String validator = validator(task);
    OriginFetch.Resume resume = validator == null ? null : offset -> origin.getFrom(request, offset, validator);
    fetchers.execute(new OriginFetch(task, body, length, expected, resume, this::refuse, onChange, () -> {
      if (task.status() == TaskStatus.FAILED) {
        currentByKey.remove(task.key(), task);
      }
    }));
  }

  /** Why {@code bytes} more of a fetch of unknown length cannot be stored, or null. */
  private String refuse(CdnTask task, long bytes) {
    return space.admit(byId.values(), bytes, "task " + task.id(), clock.instant(), this::evict);
  }

  /** Removes a complete task's files to make room; a later registration fetches it again. */
  private void evict(CdnTask t) {
    t.evict();
    byId.remove(t.id(), t);
    currentByKey.remove(t.key(), t);
    deleteQuietly(t.dir());
    evictions.incrementAndGet();
    LOG.info("cdn evicted task {} ({} bytes, unused since {}) to make room", t.id(), t.storedBytes(), t.lastUsed());
    onChange.accept(t);
  }

  private CdnTask start(String key, RegisterRequest request, Digest expected, HttpResponse<InputStream> r) {
    if (r.statusCode() / 100 != 2) {
      OriginClient.discard(r);
      throw new ApiException(ErrorCode.ORIGIN_ERROR,
          "origin answered " + r.statusCode() + " for " + request.url(), r.statusCode(), null);
    }
    String etag = r.headers().firstValue("etag").orElse(null);
    String modified = r.headers().firstValue("last-modified").orElse(null);
    long length = OriginClient.contentLength(r);
    String validator = TaskIdentity.contentAddressed(expected) ? null
        : etag != null ? "etag " + etag
        : modified != null ? "modified " + modified + " " + length
        : "fetched " + clock.instant().toEpochMilli();
    TaskId id = TaskIdentity.taskId(key, validator);
    CdnTask existing = byId.get(id);
    if (existing != null && existing.status() != TaskStatus.FAILED) {
      OriginClient.discard(r);
      existing.validated(clock.instant());
      existing.requested(request);
      currentByKey.put(key, existing);
      return existing;
    }
    if (length >= 0) {
      String refusal = space.admit(byId.values(), length, "storing " + request.url(), clock.instant(), this::evict);
      if (refusal != null) {
        OriginClient.discard(r);
        throw new ApiException(ErrorCode.INSUFFICIENT_STORAGE, "the supernode cannot store the file: " + refusal);
      }
    }
    Path dir = root.resolve(id.value());
    try {
      deleteQuietly(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      OriginClient.discard(r);
      throw new ApiException(ErrorCode.INSUFFICIENT_STORAGE, "cannot store " + id + ": " + e.getMessage());
    }
    CdnTask task = new CdnTask(id, key, TaskIdentity.normaliseUrl(request.url(), request.filter()), dir,
        PieceLayout.forLength(length, minPieceSize), etag, modified, clock.instant());
    task.requested(request);
    byId.put(id, task);
    currentByKey.put(key, task);
    LOG.info("cdn fetching {} as task {} ({} bytes)", task.url(), id, length);
    launch(task, r.body(), length, expected, request);
    return task;
  }

  /**
   * Forgets a task and removes its files (an admin's DELETE); a later registration fetches it again.
   * Returns false when the CDN does not know the task. A task still being fetched is refused (409): its
   * fetcher owns the files until it ends.
   */
  public boolean remove(TaskId id) {
    CdnTask t = byId.get(id);
    if (t == null) {
      return false;
    }
    ReentrantLock lock = keyLock(t.key());
    lock.lock();
    try {
      if (t.status() == TaskStatus.RUNNING) {
        throw new ApiException(ErrorCode.CONFLICT,
            "task " + id + " is still being fetched from its origin; delete it once the fetch ended");
      }
      t.evict();
      byId.remove(id, t);
      currentByKey.remove(t.key(), t);
      deleteQuietly(t.dir());
    } finally {
      lock.unlock();
    }
    LOG.info("cdn removed task {} ({}) on an admin's request", id, t.url());
    onChange.accept(t);
    return true;
  }

  /**
   * Checks a peer's claim that {@code piece} of {@code task}, as this CDN served it, failed its digest; a
   * damaged piece is withheld and fetched again from the origin (see {@link PieceRepair}).
   */
  public CompletableFuture<ClaimVerdict> checkClaim(CdnTask task, int piece, String reporter) {
    return repair.claim(task, piece, reporter);
  }

  /** Damaged pieces fetched again and served again since start. */
  public long repairsDone() {
    return repair.repaired();
  }

  /** Damaged pieces whose repair failed since start (only peers holding them can serve them). */
  public long repairsFailed() {
    return repair.failed();
  }

  /** Claims of damaged pieces checked since start, by what the check found. */
  public long claims(ClaimVerdict verdict) {
    return switch (verdict) {
      case DAMAGED -> repair.damaged();
      case INTACT -> repair.intact();
      case NOT_CHECKED -> 0;
    };
  }

  /** Bytes of piece data the CDN keeps on disk (complete files and fetches in progress). */
  public long storedBytes() {
    return byId.values().stream().filter(t -> t.status() != TaskStatus.FAILED).mapToLong(CdnTask::storedBytes).sum();
  }

  /** Complete files evicted to make room (size limit or free-disk watermark) since start. */
  public long evictions() {
    return evictions.get();
  }

  /** Content versions the CDN knows (stored, being fetched, or failed). */
  public int taskCount() {
    return byId.size();
  }

  public Optional<CdnTask> task(TaskId id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public Optional<ServedFile> lookup(TaskId id) {
    CdnTask t = byId.get(id);
    if (t == null || t.status() == TaskStatus.FAILED) {
      return Optional.empty();
    }
    return Optional.of(new ServedFile() {
      @Override public Path path() { return t.dataFile(); }
      @Override public long totalLength() { return t.layout().contentLength(); }
      @Override public boolean holds(long start, long length) {
        return t.status() != TaskStatus.FAILED && t.servable(start, length);
      }
      @Override public void served(String peer, long bytes) {
        t.countServed(bytes);
        t.touch(clock.instant());
      }
    });
  }

  /**
   * Serves complete files left by an earlier run without fetching them again, and keeps the verified
   * prefix of unfinished ones for a resumed fetch ({@link CdnJournal}); anything else there is removed.
   */
  private void restore() {
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.sorted(Comparator.naturalOrder()).forEach(dir -> {
        try {
          Optional<CdnJournal.Restored> kept = CdnJournal.restore(dir);
          if (kept.isEmpty() || !dir.getFileName().toString().equals(kept.get().meta().taskId())) {
            deleteQuietly(dir);
            return;
          }
          CdnJournal.Restored r = kept.get();
          if (r.complete()) {
            CdnTask t = CdnTask.complete(r.meta(), dir, java.time.Instant.EPOCH);
            byId.put(t.id(), t);
            currentByKey.put(t.key(), t);
          } else {
            resumable.put(r.meta().key(), CdnTask.restored(r.meta(), r.digests(), r.storedBytes(), dir, clock.instant()));
          }
        } catch (IOException | RuntimeException e) {
          LOG.warn("dropping unreadable CDN entry {}: {}", dir.getFileName(), e.toString());
          deleteQuietly(dir);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CDN directory " + root, e);
    }
    if (!byId.isEmpty() || !resumable.isEmpty()) {
      LOG.info("cdn restored {} complete files and {} unfinished ones from disk", byId.size(), resumable.size());
    }
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    fetchers.shutdownNow();
  }
}
