package io.damselfly.supernode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Supernode#close()} leaves behind. */
class SupernodeCloseTest {
  @TempDir Path dir;

  /**
   * An HTTP client's selector thread waits in native code; one left running makes the JVM wait for it at exit
   * (about 300 ms on every stop). Netty's global executor is shared by the JVM and ends by itself.
   */
  @Test
  void endsTheHttpClientsAndServersItStarted() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Supernode node = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")), new FakeClock());

    node.close();

    List<String> left = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .map(Thread::getName)
        .filter(name -> name.startsWith("HttpClient-") || name.startsWith("supernode-"))
        .toList();
    assertThat(left).as("threads still running after close").isEmpty();
  }
}
