package io.damselfly.supernode.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where supernodes share cluster state. Every entry has a time to live, so a member that stops writing
 * disappears and a cluster that stops entirely leaves nothing behind. Calls may block briefly (network).
 */
public sealed interface StateStore extends AutoCloseable permits MemoryStore, RedisStore {

  /** Announces (or re-announces) a member; it counts as live for {@code ttl} after {@link Member#heartbeatMillis}. */
  void heartbeat(Member member, Duration ttl);

  /** Removes a member at once (orderly shutdown). */
  void leave(String memberId);

  /** Members whose last heartbeat is younger than their TTL at {@code nowMillis}. */
  List<Member> members(long nowMillis);

  /** Records the current version of a task key. */
  void putTask(TaskRecord task);

  Optional<TaskRecord> task(String key);

  /** Records which pieces one peer holds of a task. */
  void putHolding(String taskId, Holding holding);

  /** The holdings of a task seen after {@code sinceMillis}. */
  List<Holding> holdings(String taskId, long sinceMillis);

  /** How long a preheat job is kept after its last change. */
  Duration JOB_TTL = Duration.ofDays(7);

  /** Records (or updates) one preheat job, as JSON, kept for {@link #JOB_TTL} after this write. */
  void putJob(String id, String json);

  /** Every preheat job kept, as the JSON last written for it. */
  List<String> jobs();

  /** "memory" or the store's URI without credentials. */
  String describe();

  @Override
  void close();

  /** Opens the store a {@code --store} value names: {@code memory}, {@code redis://…}, {@code rediss://…}. */
  static StateStore open(String uri, String clusterId, Duration entryTtl, java.time.InstantSource clock) {
    return open(uri, clusterId, entryTtl, clock, null);
  }

  /**
   * As {@link #open(String, String, Duration, java.time.InstantSource)}; a memory store keeps its preheat jobs
   * in {@code dataDir/preheat-jobs.json} (when {@code dataDir} is not null), so they survive a restart.
   */
  static StateStore open(String uri, String clusterId, Duration entryTtl, java.time.InstantSource clock,
      java.nio.file.Path dataDir) {
    if (uri == null || uri.isBlank() || uri.equals("memory")) {
      return new MemoryStore(clock, entryTtl, dataDir == null ? null : dataDir.resolve("preheat-jobs.json"));
    }
    return RedisStore.connect(uri, clusterId, entryTtl);
  }
}
