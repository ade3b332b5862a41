package io.damselfly.supernode.store;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default store: this process's memory, nothing to install. Only this supernode sees it, so a supernode
 * with a memory store is a cluster of one; everything is lost when it stops, except preheat jobs when a
 * jobs file is given (rewritten atomically on every change, read back at start).
 */
public final class MemoryStore implements StateStore {
  private record Expiring<T>(T value, long expiresMillis) {}

  private final InstantSource clock;
  private final Duration entryTtl;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private final Map<String, Long> memberTtl = new ConcurrentHashMap<>();
  private final Map<String, Expiring<TaskRecord>> tasks = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Holding>> holdings = new ConcurrentHashMap<>();
  private final Map<String, StoredJob> jobs = new java.util.TreeMap<>();
  private final java.nio.file.Path jobsFile;

  /** One preheat job as kept in the jobs file. */
  private record StoredJob(String json, long expiresMillis) {}

  public MemoryStore(InstantSource clock, Duration entryTtl) {
    this(clock, entryTtl, null);
  }

  /** @param jobsFile where preheat jobs are kept across restarts, or null to keep them in memory only */
  public MemoryStore(InstantSource clock, Duration entryTtl, java.nio.file.Path jobsFile) {
    this.clock = clock;
    this.entryTtl = entryTtl;
    this.jobsFile = jobsFile;
    if (jobsFile != null && java.nio.file.Files.exists(jobsFile)) {
      try {
        StoredJob[] kept = io.damselfly.protocol.Json.read(java.nio.file.Files.readAllBytes(jobsFile), StoredJob[].class);
        for (StoredJob j : kept) {
          String id = io.damselfly.protocol.Json.mapper().readTree(j.json()).path("id").asText();
          jobs.put(id, j);
        }
      } catch (java.io.IOException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(MemoryStore.class).warn("ignoring unreadable preheat jobs file {}: {}",
            jobsFile, e.toString());
      }
    }
  }

  @Override
  public synchronized void putJob(String id, String json) {
    jobs.put(id, new StoredJob(json, clock.millis() + JOB_TTL.toMillis()));
    jobs.values().removeIf(j -> j.expiresMillis() <= clock.millis());
    if (jobsFile != null) {
      try {
        java.nio.file.Path tmp = jobsFile.resolveSibling(jobsFile.getFileName() + ".tmp");
        java.nio.file.Files.createDirectories(jobsFile.toAbsolutePath().getParent());
        java.nio.file.Files.write(tmp, io.damselfly.protocol.Json.write(jobs.values()));
        java.nio.file.Files.move(tmp, jobsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write the preheat jobs file " + jobsFile, e);
      }
    }
  }

  @Override
  public synchronized List<String> jobs() {
    return jobs.values().stream().filter(j -> j.expiresMillis() > clock.millis()).map(StoredJob::json).toList();
  }

  @Override
  public void heartbeat(Member member, Duration ttl) {
    members.put(member.id(), member);
    memberTtl.put(member.id(), ttl.toMillis());
  }

  @Override
  public void leave(String memberId) {
    members.remove(memberId);
    memberTtl.remove(memberId);
  }

  @Override
  public List<Member> members(long nowMillis) {
    List<Member> live = new ArrayList<>();
    for (Member m : members.values()) {
      if (m.heartbeatMillis() + memberTtl.getOrDefault(m.id(), 0L) > nowMillis) {
        live.add(m);
      }
    }
    return live;
  }

  @Override
  public void putTask(TaskRecord task) {
    tasks.put(task.key(), new Expiring<>(task, clock.millis() + entryTtl.toMillis()));
  }

  @Override
  public Optional<TaskRecord> task(String key) {
    Expiring<TaskRecord> e = tasks.get(key);
    if (e == null || e.expiresMillis() <= clock.millis()) {
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  @Override
  public void putHolding(String taskId, Holding holding) {
    holdings.computeIfAbsent(taskId, k -> new ConcurrentHashMap<>()).put(holding.peerId(), holding);
  }

  @Override
  public List<Holding> holdings(String taskId, long sinceMillis) {
    Map<String, Holding> of = holdings.getOrDefault(taskId, Map.of());
    of.values().removeIf(h -> h.seenMillis() + entryTtl.toMillis() <= clock.millis());
    return of.values().stream().filter(h -> h.seenMillis() > sinceMillis).toList();
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {
    members.clear();
    tasks.clear();
    holdings.clear();
  }
}
