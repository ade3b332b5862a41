package io.damselfly.supernode.store;

import io.damselfly.protocol.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster state in Redis (one server, or a Redis Cluster) through Lettuce. Every operation touches one key,
 * so it works unchanged on Redis Cluster. Keys, all under {@code damselfly:<cluster id>:}:
 *
 * <ul>
 *   <li>{@code members}: hash member id → {@link Member} JSON; stale fields are dropped by readers;
 *   <li>{@code task:<key>}: {@link TaskRecord} JSON, expiring after the entry TTL;
 *   <li>{@code holders:<task id>}: hash peer id → {@link Holding} JSON, expiring after the entry TTL;
 *   <li>{@code preheats}: hash job id → preheat job JSON, expiring {@link StateStore#JOB_TTL} after the last write.
 * </ul>
 */
public final class RedisStore implements StateStore {
  private final AutoCloseable client;
  private final ClientResources resources;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> redis;
  private final String prefix;
  private final long entryTtlSeconds;
  private final String description;

  private RedisStore(AutoCloseable client, ClientResources resources, StatefulConnection<String, String> connection,
      RedisClusterCommands<String, String> redis, String clusterId, Duration entryTtl, String description) {
    this.client = client;
    this.resources = resources;
    this.connection = connection;
    this.redis = redis;
    this.prefix = "damselfly:" + clusterId + ":";
    this.entryTtlSeconds = Math.max(1, entryTtl.toSeconds());
    this.description = description;
  }

  /**
   * Connects to {@code redis://[user:password@]host:port[/db]}, {@code rediss://…} (TLS), or a Redis Cluster
   * through any of its nodes: {@code redis-cluster://host:port[,host:port…]} ({@code rediss-cluster://} for TLS).
   */
  static RedisStore connect(String uri, String clusterId, Duration entryTtl) {
    ClientResources resources = ClientResources.create();
    try {
      if (uri.startsWith("redis-cluster://") || uri.startsWith("rediss-cluster://")) {
        String scheme = uri.startsWith("rediss") ? "rediss://" : "redis://";
        String rest = uri.substring(uri.indexOf("://") + 3);
        String auth = rest.contains("@") ? rest.substring(0, rest.lastIndexOf('@') + 1) : "";
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : rest.substring(auth.length()).split(",")) {
          seeds.add(RedisURI.create(scheme + auth + node.trim()));
        }
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        var connection = client.connect();
        return new RedisStore(client, resources, connection, connection.sync(), clusterId, entryTtl,
            scheme.replace("://", "-cluster://") + String.join(",", seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).toList()));
      }
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        throw new IllegalArgumentException("store must be memory, redis://host:port, rediss://host:port or "
            + "redis-cluster://host:port[,host:port], got '" + uri + "'");
      }
      RedisURI parsed = RedisURI.create(uri);
      RedisClient client = RedisClient.create(resources, parsed);
      var connection = client.connect();
      return new RedisStore(client, resources, connection, connection.sync(), clusterId, entryTtl,
          (parsed.isSsl() ? "rediss://" : "redis://") + parsed.getHost() + ":" + parsed.getPort());
    } catch (RedisException e) {
      resources.shutdown();
      throw new IllegalArgumentException("cannot connect to the store " + uri.replaceAll("//[^@/]*@", "//***@")
          + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      resources.shutdown();
      throw e;
    }
  }

  @Override
  public void heartbeat(Member member, Duration ttl) {
    String key = prefix + "members";
    redis.hset(key, member.id(), json(new Stamped(member, ttl.toMillis())));
    redis.expire(key, Math.max(entryTtlSeconds, ttl.toSeconds() * 10));
  }

  /** A member with the TTL it announced. */
  private record Stamped(Member member, long ttlMillis) {}

  @Override
  public void leave(String memberId) {
    redis.hdel(prefix + "members", memberId);
  }

  @Override
  public List<Member> members(long nowMillis) {
    String key = prefix + "members";
    List<Member> live = new ArrayList<>();
    for (Map.Entry<String, String> e : redis.hgetall(key).entrySet()) {
      Stamped s = read(e.getValue(), Stamped.class);
      if (s == null || s.member().heartbeatMillis() + s.ttlMillis() * 10 < nowMillis) {
        redis.hdel(key, e.getKey()); // long dead: clean up
      } else if (s.member().heartbeatMillis() + s.ttlMillis() > nowMillis) {
        live.add(s.member());
      }
    }
    return live;
  }

  @Override
  public void putTask(TaskRecord task) {
    redis.setex(prefix + "task:" + task.key(), entryTtlSeconds, json(task));
  }

  @Override
  public Optional<TaskRecord> task(String key) {
    String v = redis.get(prefix + "task:" + key);
    return Optional.ofNullable(v == null ? null : read(v, TaskRecord.class));
  }

  @Override
  public void putHolding(String taskId, Holding holding) {
    String key = prefix + "holders:" + taskId;
    redis.hset(key, holding.peerId(), json(holding));
    redis.expire(key, entryTtlSeconds);
  }

  @Override
  public List<Holding> holdings(String taskId, long sinceMillis) {
    List<Holding> out = new ArrayList<>();
    for (String v : redis.hvals(prefix + "holders:" + taskId)) {
      Holding h = read(v, Holding.class);
      if (h != null && h.seenMillis() > sinceMillis) {
        out.add(h);
      }
    }
    return out;
  }

  @Override
  public void putJob(String id, String json) {
    String key = prefix + "preheats";
    redis.hset(key, id, json);
    redis.expire(key, JOB_TTL.toSeconds());
  }

  @Override
  public List<String> jobs() {
    return List.copyOf(redis.hvals(prefix + "preheats"));
  }

  @Override
  public String describe() {
    return description;
  }

  private static String json(Object o) {
    return new String(Json.write(o), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Null for an entry this version cannot read (written by another version): treated as absent. */
  private static <T> T read(String v, Class<T> type) {
    try {
      return Json.read(v.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
      client.close();
    } catch (Exception e) {
      // closing anyway
    } finally {
      resources.shutdown();
    }
  }
}
