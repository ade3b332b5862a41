package io.damselfly.supernode.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a supernode joins a cluster, sealed at start.
 *
 * @param store {@code memory} (default: nothing shared, a cluster of one), {@code redis://host:port},
 *     {@code rediss://host:port} or {@code redis-cluster://host:port[,host:port]}
 * @param clusterId separates clusters sharing one store (default {@code default}); {@code [A-Za-z0-9_.-]}
 * @param memberTtl a member not heard from within this is gone and its tasks move (default 10 s); members
 *     announce themselves every third of it
 * @param entryTtl how long task facts and piece holders stay in the store after their last update (default 24 h)
 * @param publishEvery how often piece holders are written to the store (default 1 s)
 */
public record ClusterConfig(String store, String clusterId, Duration memberTtl, Duration entryTtl,
    Duration publishEvery) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public ClusterConfig {
    if (store == null || store.isBlank()) {
      throw new IllegalArgumentException("store must be memory or a redis:// URI, got nothing");
    }
    if (clusterId == null || !ID.matcher(clusterId).matches()) {
      throw new IllegalArgumentException("clusterId must be 1-64 characters of [A-Za-z0-9_.-], got '" + clusterId + "'");
    }
    for (Duration d : new Duration[] {memberTtl, entryTtl, publishEvery}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("cluster TTLs and periods must be positive, got " + d);
      }
    }
    if (memberTtl.toMillis() < 300) {
      throw new IllegalArgumentException("memberTtl must be at least 300 ms, got " + memberTtl);
    }
  }

  /** The documented defaults: a memory store, that is a supernode alone. */
  public static ClusterConfig defaults() {
    return new ClusterConfig("memory", "default", Duration.ofSeconds(10), Duration.ofHours(24), Duration.ofSeconds(1));
  }

  public ClusterConfig withStore(String uri, String id) {
    return new ClusterConfig(uri, id, memberTtl, entryTtl, publishEvery);
  }

  public ClusterConfig withMemberTtl(Duration ttl) {
    return new ClusterConfig(store, clusterId, ttl, entryTtl, publishEvery);
  }

  /** True when state is shared with other supernodes. */
  public boolean shared() {
    return !store.equals("memory");
  }
}
