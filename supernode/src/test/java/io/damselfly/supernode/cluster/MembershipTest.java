package io.damselfly.supernode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.supernode.FakeClock;
import io.damselfly.supernode.store.Member;
import io.damselfly.supernode.store.MemoryStore;
import io.damselfly.transport.ClusterAccess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who owns a task when its owner does not answer: a refused connection (a killed process) moves the task at
 * once; silence (a busy supernode) moves it only once the owner also missed two heartbeats, so a live owner
 * never shares its tasks with a second one.
 */
class MembershipTest {
  private static final Duration TTL = Duration.ofSeconds(3);
  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore(clock, Duration.ofHours(1));
  private final HttpClient http = HttpClient.newHttpClient();
  private final Member me = new Member("me", "127.0.0.1:1", "127.0.0.1:1", 0);
  private Membership membership;

  @BeforeEach
  void start() {
    membership = new Membership(store, ClusterConfig.defaults().withStore("memory", "t").withMemberTtl(TTL), clock,
        http, ClusterAccess.NONE);
  }

  @AfterEach
  void stop() {
    membership.close();
    http.close();
  }

  @Test
  void anOwnerThatRefusesConnectionsIsPassedOverAtOnce() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Member other = join("127.0.0.1:" + closed);
    assertThat(membership.owner(keyOwnedBy(other)).id()).isEqualTo("me");
  }

  @Test
  void aSilentOwnerKeepsItsTasksWhileItBeatsAndLosesThemWhenItStops() throws Exception {
    // accepts connections (the kernel's backlog) but never answers: a supernode too busy to reply in time
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Member other = join("127.0.0.1:" + silent.getLocalPort());
      String key = keyOwnedBy(other);
      assertThat(membership.owner(key).id()).as("silent, heartbeat fresh").isEqualTo(other.id());

      clock.advance(TTL.multipliedBy(2).dividedBy(3).plusMillis(100));
      assertThat(membership.owner(key).id()).as("silent, two heartbeats missed").isEqualTo("me");
    }
  }

  /** Puts {@code api} into the store as a member beating now, and starts this membership beside it. */
  private Member join(String api) {
    Member other = new Member("other", api, api, clock.millis());
    store.heartbeat(other, TTL);
    membership.start(me);
    assertThat(membership.live()).extracting(Member::id).contains("other", "me");
    return other;
  }

  private String keyOwnedBy(Member m) {
    for (int i = 0; ; i++) {
      String key = "task-" + i;
      if (Rendezvous.ranking(key, List.of(me, m)).get(0).id().equals(m.id())) {
        return key;
      }
    }
  }
}
