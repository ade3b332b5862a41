package io.damselfly.peer.download.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.damselfly.common.TaskId;
import io.damselfly.peer.testkit.FakeClock;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import io.damselfly.transport.ApiClient;
import io.damselfly.transport.ClusterAccess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A neighbor's piece map is watched: the neighbor answers when it holds more, the answer arrives as an event,
 * and plans use the map at hand without asking anyone. The neighbor here holds watches as a 1.4 peer does.
 */
class NeighborsWatchTest {
  private static final TaskId TASK = TaskId.of("watch-task");
  private final AtomicInteger answered = new AtomicInteger();
  private final Object lock = new Object();
  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final FakeClock clock = new FakeClock();
  private BitSet held = new BitSet();
  private boolean stopping;
  private volatile String lastQuery;
  private HttpServer server;
  private ApiClient http;
  private Neighbors neighbors;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      lastQuery = exchange.getRequestURI().getQuery();
      int since = Integer.parseInt(lastQuery.replaceAll(".*" + ProtocolV1.QUERY_SINCE + "=(\\d+).*", "$1"));
      BitSet now;
      synchronized (lock) {
        while (held.cardinality() <= since && !stopping) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        now = (BitSet) held.clone();
      }
      byte[] body = Json.write(PieceMap.of(TASK.value(), 1024, now));
      answered.incrementAndGet(); // before the answer leaves, so the asker never sees it uncounted
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    http = new ApiClient(ClusterAccess.NONE, 1, Duration.ofSeconds(5), Duration.ofMinutes(1));
    neighbors = new Neighbors(http, TASK, "me", Duration.ofSeconds(10), clock, events::add);
  }

  @AfterEach
  void stop() {
    neighbors.close();
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
    http.close();
    server.stop(0);
  }

  private void hold(int from, int to) {
    synchronized (lock) {
      held = bits(from, to);
      lock.notifyAll();
    }
  }

  private boolean nextAnswer() throws InterruptedException {
    Object e = events.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("a watch answer").isInstanceOf(Neighbors.MapAnswer.class);
    return neighbors.apply((Neighbors.MapAnswer) e);
  }

  @Test
  void plansUseTheMapAtHandAndAskNobody() throws Exception {
    hold(0, 8);
    neighbors.update(List.of(new Source("n1", "127.0.0.1", server.getAddress().getPort())));
    assertThat(nextAnswer()).as("the map grew").isTrue();

    assertThat(neighbors.plan(2, 8, piece -> false)).hasSize(2);
    endTwo();
    assertThat(neighbors.plan(2, 8, piece -> piece < 2)).hasSize(2);
    endTwo();
    clock.advance(Duration.ofMinutes(1));
    assertThat(neighbors.plan(2, 8, piece -> piece < 4)).hasSize(2);

    assertThat(answered).as("one answer: the next watch waits at the neighbor for news").hasValue(1);
    io.damselfly.peer.testkit.Await.until("the next watch names the 8 pieces seen", () -> lastQuery.contains(
        ProtocolV1.QUERY_SINCE + "=8&" + ProtocolV1.QUERY_WAIT + "=" + Neighbors.WATCH_MILLIS));
    assertThat(answered).as("held at the neighbor, not answered").hasValue(1);
  }

  @Test
  void aNewPieceAtTheNeighborArrivesWithoutAsking() throws Exception {
    hold(0, 1);
    neighbors.update(List.of(new Source("n1", "127.0.0.1", server.getAddress().getPort())));
    nextAnswer();
    assertThat(neighbors.plan(4, 8, piece -> false)).hasSize(1);

    hold(0, 4);
    assertThat(nextAnswer()).isTrue();

    assertThat(neighbors.plan(4, 8, piece -> piece < 1)).extracting(Neighbors.Planned::piece)
        .containsExactlyInAnyOrder(1, 2, 3);
    assertThat(neighbors.highestHeld()).isEqualTo(3);
    assertThat(answered).hasValue(2);
  }

  @Test
  void aFailedNeighborRestsForItsBackoffByTheClock() throws Exception {
    hold(0, 8);
    neighbors.update(List.of(new Source("n1", "127.0.0.1", server.getAddress().getPort())));
    nextAnswer();

    neighbors.failed("n1");
    assertThat(neighbors.plan(1, 8, piece -> false)).isEmpty();
    clock.advance(Duration.ofMillis(Neighbors.BACKOFF_MILLIS));
    assertThat(neighbors.plan(1, 8, piece -> false)).hasSize(1);
  }

  @Test
  void oneNeighborIsNeverAskedForMoreThanItsUploadBound() throws Exception {
    hold(0, 32);
    neighbors.update(List.of(new Source("n1", "127.0.0.1", server.getAddress().getPort())));
    nextAnswer();

    assertThat(neighbors.plan(16, 32, piece -> false)).hasSize(Neighbors.MAX_FETCHES_PER_NEIGHBOR);
    assertThat(neighbors.plan(16, 32, piece -> false)).as("its fetches have not ended").isEmpty();
    neighbors.ended("n1");
    assertThat(neighbors.plan(16, 32, piece -> false)).hasSize(1);
  }

  private void endTwo() {
    neighbors.ended("n1");
    neighbors.ended("n1");
  }

  private static BitSet bits(int from, int to) {
    BitSet b = new BitSet();
    b.set(from, to);
    return b;
  }
}
