package io.damselfly.peer.download.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.Source;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A neighbor's piece map is asked for when a plan needs it, not on every plan. */
class NeighborsPollingTest {
  private static final TaskId TASK = TaskId.of("polling-task");
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicReference<BitSet> held = new AtomicReference<>(new BitSet());
  private HttpServer server;
  private HttpClient http;
  private Neighbors neighbors;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      gets.incrementAndGet();
      byte[] body = Json.write(PieceMap.of(TASK.value(), 1024, held.get()));
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    neighbors = new Neighbors(http, TASK, "me", Duration.ofSeconds(10));
    neighbors.update(List.of(new Source("n1", "127.0.0.1", server.getAddress().getPort())));
  }

  @AfterEach
  void stop() {
    http.close();
    server.stop(0);
  }

  @Test
  void aMapThatOffersEnoughIsNotAskedAgain() throws Exception {
    held.set(bits(0, 8));

    assertThat(neighbors.plan(2, 8, piece -> false)).hasSize(2);
    assertThat(neighbors.plan(2, 8, piece -> piece < 2)).hasSize(2);
    Thread.sleep(Duration.ofNanos(Neighbors.MAP_FRESH_NANOS).toMillis() + 100);
    assertThat(neighbors.plan(2, 8, piece -> piece < 4)).hasSize(2);

    assertThat(gets).as("one GET: later plans were filled from the map at hand, however old").hasValue(1);
  }

  @Test
  void aShortPlanAsksAgainOnlyOnceTheMapIsOlderThanItsFreshness() throws Exception {
    held.set(bits(0, 1));
    assertThat(neighbors.plan(4, 8, piece -> false)).hasSize(1);
    held.set(bits(0, 4));
    assertThat(neighbors.plan(4, 8, piece -> piece < 1)).as("the map is still fresh").isEmpty();
    assertThat(gets).hasValue(1);

    Thread.sleep(Duration.ofNanos(Neighbors.MAP_FRESH_NANOS).toMillis() + 100);

    assertThat(neighbors.plan(4, 8, piece -> piece < 1)).extracting(Neighbors.Planned::piece)
        .containsExactlyInAnyOrder(1, 2, 3);
    assertThat(gets).hasValue(2);
    assertThat(neighbors.highestHeld()).isEqualTo(3);
  }

  @Test
  void anUnchangedMapIsAskedForLessOften() throws Exception {
    long fresh = Duration.ofNanos(Neighbors.MAP_FRESH_NANOS).toMillis();
    held.set(bits(0, 1));
    neighbors.plan(4, 8, piece -> true);
    Thread.sleep(fresh + 100);
    neighbors.plan(4, 8, piece -> true);
    assertThat(gets).as("short plans ask again once the map is a second old").hasValue(2);

    Thread.sleep(fresh + 100);
    neighbors.plan(4, 8, piece -> true);
    assertThat(gets).as("the map came back unchanged: it stays fresh for twice as long").hasValue(2);
  }

  private static BitSet bits(int from, int to) {
    BitSet b = new BitSet();
    b.set(from, to);
    return b;
  }
}
