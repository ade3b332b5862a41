package io.damselfly.supernode.cdn;

import io.damselfly.common.Digest;
import io.damselfly.common.PieceLayout;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.TaskIdentity;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.transport.ApiException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();

  public CdnStore(Path dataDir, OriginClient origin, InstantSource clock, Duration revalidateAfter,
      Consumer<CdnTask> onChange) {
    this.root = dataDir.resolve("cdn");
    this.origin = origin;
    this.clock = clock;
    this.revalidateAfter = revalidateAfter;
    this.onChange = onChange;
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
    synchronized (keyLocks.computeIfAbsent(key, k -> new Object())) {
      CdnTask current = currentByKey.get(key);
      if (current != null && current.status() != TaskStatus.FAILED) {
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
      return start(key, request, expected, origin.get(request, null, null));
    }
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
      currentByKey.put(key, existing);
      return existing;
    }
    Path dir = root.resolve(id.value());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      OriginClient.discard(r);
      throw new ApiException(ErrorCode.INSUFFICIENT_STORAGE, "cannot store " + id + ": " + e.getMessage());
    }
    CdnTask task = new CdnTask(id, key, TaskIdentity.normaliseUrl(request.url(), request.filter()), dir,
        PieceLayout.forLength(length), etag, modified, clock.instant());
    byId.put(id, task);
    currentByKey.put(key, task);
    LOG.info("cdn fetching {} as task {} ({} bytes)", task.url(), id, length);
    fetchers.execute(new OriginFetch(task, r.body(), length, expected, onChange, () -> {
      if (task.status() == TaskStatus.FAILED) {
        currentByKey.remove(key, task);
      }
    }));
    return task;
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
        return t.status() != TaskStatus.FAILED && start + length <= t.storedBytes();
      }
      @Override public void served(String peer, long bytes) { t.countServed(bytes); }
    });
  }

  /** Serves complete files left by an earlier run, without fetching them again. */
  private void restore() {
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.sorted(Comparator.naturalOrder()).forEach(dir -> {
        Path meta = dir.resolve("meta.json");
        try {
          if (!Files.exists(meta)) {
            deleteQuietly(dir);
            return;
          }
          CdnMeta m = Json.read(Files.readAllBytes(meta), CdnMeta.class);
          if (!dir.getFileName().toString().equals(m.taskId())
              || Files.size(dir.resolve("data")) != m.contentLength()) {
            deleteQuietly(dir);
            return;
          }
          CdnTask t = CdnTask.complete(m, dir, java.time.Instant.EPOCH);
          byId.put(t.id(), t);
          currentByKey.put(t.key(), t);
        } catch (IOException | RuntimeException e) {
          LOG.warn("dropping unreadable CDN entry {}: {}", dir.getFileName(), e.toString());
          deleteQuietly(dir);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CDN directory " + root, e);
    }
    if (!byId.isEmpty()) {
      LOG.info("cdn restored {} complete files from disk", byId.size());
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
