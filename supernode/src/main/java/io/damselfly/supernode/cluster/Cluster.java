package io.damselfly.supernode.cluster;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.cdn.ClusterHooks;
import io.damselfly.supernode.scheduler.Scheduler;
import io.damselfly.supernode.store.Member;
import io.damselfly.supernode.store.StateStore;
import io.damselfly.supernode.store.TaskRecord;
import io.damselfly.transport.ClusterAccess;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supernode's part in a cluster: it owns the task keys rendezvous hashing gives it among the live
 * members, redirects registrations for other keys to their owner ({@code NOT_OWNER}), records its tasks and
 * their piece holders in the shared store, and continues a task a dead owner started from the pieces the
 * cluster holds (see docs/CLUSTER.md). With the memory store it is a cluster of one: it owns everything.
 */
public final class Cluster implements ClusterHooks, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
  private static final Duration PIECE_TIMEOUT = Duration.ofSeconds(30);

  private final ClusterConfig config;
  private final StateStore store;
  private final InstantSource clock;
  private final HttpClient http;
  private final ClusterAccess access;
  private final Membership membership;
  private Publisher publisher;

  private Cluster(ClusterConfig config, StateStore store, ClusterAccess access, InstantSource clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.access = access;
    this.http = client(access);
    this.membership = new Membership(store, config, clock, http, access);
  }

  /**
   * Opens the store; the cluster is joined by {@link #join} once the servers listen.
   *
   * @param access the secret and TLS other supernodes and peers ask for (pieces are read from them)
   */
  public static Cluster open(ClusterConfig config, ClusterAccess access, InstantSource clock) {
    return open(config, access, null, clock);
  }

  /** As {@link #open(ClusterConfig, ClusterAccess, InstantSource)}; a memory store keeps preheat jobs in {@code dataDir}. */
  public static Cluster open(ClusterConfig config, ClusterAccess access, java.nio.file.Path dataDir, InstantSource clock) {
    StateStore store = StateStore.open(config.store(), config.clusterId(), config.entryTtl(), clock, dataDir);
    return new Cluster(config, store, access, clock);
  }

  /** The shared store (preheat jobs are kept there). */
  public StateStore store() {
    return store;
  }

  /** An HTTP client for cluster nodes: HTTP/1.1, short connect timeout, the cluster's TLS trust when on. */
  public static HttpClient client(ClusterAccess access) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1);
    if (access.tls() != null) {
      b.sslContext(io.damselfly.transport.Tls.client(access.tls()));
    }
    return b.build();
  }

  /** Announces this supernode ({@code api} and {@code pieces} as {@code host:port}) and starts publishing. */
  public void join(String api, String pieces, Scheduler scheduler) {
    membership.start(new Member(api, api, pieces, clock.millis()));
    publisher = new Publisher(store, scheduler, config, clock, membership::self);
    publisher.start();
  }

  /** A CDN task changed (a stored piece, the end of its fetch). */
  public void changed(CdnTask task) {
    Publisher p = publisher;
    if (p != null && config.shared()) {
      p.changed(task);
    }
  }

  @Override
  public void checkOwner(String key) {
    if (!config.shared() || membership.self() == null) {
      return;
    }
    Member owner = membership.owner(key);
    if (!owner.id().equals(membership.self().id())) {
      throw ApiException.notOwner("supernode " + owner.id() + " owns this task; register there", owner.api());
    }
  }

  @Override
  public Optional<Adoption> adoption(String key) {
    if (!config.shared() || membership.self() == null) {
      return Optional.empty();
    }
    Optional<TaskRecord> found;
    try {
      found = store.task(key);
    } catch (RuntimeException e) {
      LOG.warn("cannot read task {} from the cluster store: {}", key, e.toString());
      return Optional.empty();
    }
    if (found.isEmpty() || found.get().status() == TaskStatus.FAILED || found.get().contentLength() < 0) {
      return Optional.empty();
    }
    TaskRecord r = found.get();
    long since = clock.millis() - config.entryTtl().toMillis();
    var source = new ClusterPieces(http, access, PIECE_TIMEOUT, membership.self(), membership.live(), store.holdings(r.taskId(), since));
    LOG.info("taking over task {} from {} ({} piece digests recorded)", r.taskId(), r.owner(), r.digests().size());
    return Optional.of(new Adoption(r.taskId(), r.url(), r.contentLength(), r.pieceSize(), r.etag(), r.lastModified(),
        r.digests(), source));
  }

  /** The live members, this one included. */
  public List<Member> members() {
    return membership.live();
  }

  /** This supernode as the cluster knows it; null before {@link #join}. */
  public Member self() {
    return membership.self();
  }

  public ClusterConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (publisher != null) {
      publisher.close();
    }
    membership.close();
    store.close();
    http.close();
  }
}
