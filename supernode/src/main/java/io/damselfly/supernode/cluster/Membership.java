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
 * before requests are sent to it. One whose port refuses the connection (a killed process) is passed over at
 * once, until it announces itself again, so its tasks move without waiting for its TTL. One that is merely
 * slow to answer (busy, or a host that went away without a reset) is passed over only when it also missed
 * two heartbeats: passing over a live but busy owner would give its tasks two owners and fetch them twice.
 */
final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final long PROBE_EVERY_MILLIS = 1000;

  /** What a probe heard: an HTTP answer (any status), a refused connection, or nothing in time. */
  private enum Heard { ANSWER, REFUSED, SILENCE }

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
    beats.scheduleWithFixedDelay(this::beat, beatEvery(), beatEvery(), TimeUnit.MILLISECONDS);
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
    Heard heard = ping(m);
    boolean alive = heard == Heard.ANSWER
        || (heard == Heard.SILENCE && now - m.heartbeatMillis() < 2 * beatEvery());
    if (!alive) {
      LOG.warn("cluster member {} {}; its tasks move to the next owner", m.id(),
          heard == Heard.REFUSED ? "refuses connections" : "does not answer and missed two heartbeats");
    } else if (heard == Heard.SILENCE) {
      LOG.info("cluster member {} is slow to answer but still beats; it keeps its tasks", m.id());
    }
    probes.put(m.id(), new Probe(now, alive, m.heartbeatMillis()));
    return alive;
  }

  private long beatEvery() {
    return Math.max(100, config.memberTtl().toMillis() / 3);
  }

  private Heard ping(Member m) {
    try {
      HttpRequest req = access.request(access.uri(m.api(), ProtocolV1.PING))
          .timeout(PROBE_TIMEOUT).GET().build();
      http.send(req, HttpResponse.BodyHandlers.discarding());
      return Heard.ANSWER;
    } catch (java.net.ConnectException e) {
      return Heard.REFUSED;
    } catch (java.io.IOException e) {
      return Heard.SILENCE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Heard.SILENCE;
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
