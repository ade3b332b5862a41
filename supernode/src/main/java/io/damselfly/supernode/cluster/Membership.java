package io.damselfly.supernode.cluster;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.store.Member;
import io.damselfly.supernode.store.StateStore;
import io.damselfly.transport.ClusterAccess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This supernode's view of the cluster: it announces itself in the store every third of the member TTL and
 * reads the live members back. A member named as owner is probed ({@code /_ping}, at most once a second)
 * before requests are sent to it; one that does not answer is passed over at once, until it announces itself
 * again, so a killed owner's tasks move without waiting for its TTL.
 */
final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final long PROBE_EVERY_MILLIS = 1000;

  /** The last probe of a member: when it ran, whether it answered, and its heartbeat then. */
  private record Probe(long atMillis, boolean alive, long heartbeatMillis) {}

  private final StateStore store;
  private final ClusterConfig config;
  private final InstantSource clock;
  private final HttpClient http;
  private final ClusterAccess access;
  private final ScheduledExecutorService beats;
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();
  private volatile Member self;
  private volatile List<Member> live = List.of();

  Membership(StateStore store, ClusterConfig config, InstantSource clock, HttpClient http, ClusterAccess access) {
    this.access = access;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.http = http;
    this.beats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cluster-heartbeat").daemon().factory());
  }

  /** Joins: announces {@code me} now and then periodically. */
  void start(Member me) {
    this.self = me;
    beat();
    long every = Math.max(100, config.memberTtl().toMillis() / 3);
    beats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    LOG.info("supernode {} joined cluster {} in {} ({} live members)", me.id(), config.clusterId(), store.describe(),
        live.size());
  }

  private void beat() {
    Member me = self;
    try {
      store.heartbeat(me.at(clock.millis()), config.memberTtl());
      List<Member> now = new ArrayList<>(store.members(clock.millis()));
      if (now.stream().noneMatch(m -> m.id().equals(me.id()))) {
        now.add(me);
      }
      if (!sameIds(now, live)) {
        LOG.info("cluster members now: {}", now.stream().map(Member::id).toList());
      }
      live = List.copyOf(now);
    } catch (RuntimeException e) {
      LOG.warn("cannot reach the cluster store {}: {}", store.describe(), e.toString());
    }
  }

  private static boolean sameIds(List<Member> a, List<Member> b) {
    return a.size() == b.size() && a.stream().map(Member::id).toList().containsAll(b.stream().map(Member::id).toList());
  }

  Member self() {
    return self;
  }

  /** The live members, this one included (before {@link #start}: none). */
  List<Member> live() {
    return live;
  }

  /** The member that owns {@code key}: the highest rendezvous score among live members that answer. */
  Member owner(String key) {
    Member me = self;
    if (me == null) {
      throw new IllegalStateException("the cluster is not started");
    }
    for (Member m : Rendezvous.ranking(key, live.isEmpty() ? List.of(me) : live)) {
      if (m.id().equals(me.id()) || answers(m)) {
        return m;
      }
    }
    return me;
  }

  /** Whether a member answers its ping; remembered for a second, and a silent one stays passed over until it beats. */
  private boolean answers(Member m) {
    long now = clock.millis();
    Probe last = probes.get(m.id());
    if (last != null && !last.alive() && m.heartbeatMillis() <= last.heartbeatMillis()) {
      return false;
    }
    if (last != null && now - last.atMillis() < PROBE_EVERY_MILLIS) {
      return last.alive();
    }
    boolean alive = ping(m);
    if (!alive) {
      LOG.warn("cluster member {} does not answer; its tasks move to the next owner", m.id());
    }
    probes.put(m.id(), new Probe(now, alive, m.heartbeatMillis()));
    return alive;
  }

  private boolean ping(Member m) {
    try {
      HttpRequest req = access.request(access.uri(m.api(), ProtocolV1.PING))
          .timeout(PROBE_TIMEOUT).GET().build();
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    beats.shutdownNow();
    try {
      beats.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (self != null) {
      try {
        store.leave(self.id());
      } catch (RuntimeException e) {
        LOG.debug("leaving the cluster store failed: {}", e.toString());
      }
    }
  }
}
