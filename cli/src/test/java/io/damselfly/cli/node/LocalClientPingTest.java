package io.damselfly.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.NodeInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** dfget's ping of a node: a slow node is asked again, an absent one is given up at once. */
class LocalClientPingTest {

  @Test
  void aNodeThatMissesOnePingIsStillFound() throws Exception {
    AtomicInteger pings = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      if (pings.incrementAndGet() == 1) {
        try {
          Thread.sleep(1_000); // a loaded node: the first answer comes after dfget's timeout
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = Json.write(new NodeInfo("dfdaemon", "test", 42, 1, "home"));
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try (LocalClient client = new LocalClient(Duration.ofMillis(300))) {
      assertThat(client.node(server.getAddress().getPort())).map(NodeInfo::pid).contains(42L);
      assertThat(pings).hasValue(2);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nothingListeningIsGivenUpWithoutWaiting() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long start = System.nanoTime();
    try (LocalClient client = new LocalClient()) {
      assertThat(client.node(port)).isEmpty();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LocalClient.PING_TIMEOUT);
  }
}
