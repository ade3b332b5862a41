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
 * with a memory store is a cluster of one; everything is lost when it stops.
 */
public final class MemoryStore implements StateStore {
  private record Expiring<T>(T value, long expiresMillis) {}

  private final InstantSource clock;
  private final Duration entryTtl;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private final Map<String, Long> memberTtl = new ConcurrentHashMap<>();
  private final Map<String, Expiring<TaskRecord>> tasks = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Holding>> holdings = new ConcurrentHashMap<>();

  public MemoryStore(InstantSource clock, Duration entryTtl) {
    this.clock = clock;
    this.entryTtl = entryTtl;
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
