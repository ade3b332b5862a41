package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars stop on SIGTERM by closing what they run, well within the harness's grace period (after which it would
 * kill them, exit 137): exit 143 means the JVM ended through its shutdown hooks, none of which hung.
 */
class StopTest {
  private static final Pattern NODE_READY = Pattern.compile("dfget server ready: pid (\\d+)");
  private static final Duration LIMIT = Duration.ofMinutes(1);
  private static final int SIGTERM_EXIT = 143;

  @TempDir Path dir;

  @Test
  void aSupernodeStopsOnSigterm() throws Exception {
    Sandbox sandbox = Sandbox.in(dir);
    SupernodeProcess supernode =
        SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(), List.of());
    Proc p = supernode.proc();

    supernode.close();

    assertThat(p.awaitExit(LIMIT)).as("%s", p.describe()).isEqualTo(SIGTERM_EXIT);
  }

  @Test
  void aPeerNodeStopsOnSigterm() throws Exception {
    try (Sandbox sandbox = Sandbox.in(dir)) {
      Path home = sandbox.home("host");
      Proc p = Proc.start(Launch.jar("dfget-server", Jars.dfget(),
          List.of("server", "--home", home.toString(), "--keepalive", "0"),
          Map.of("DAMSELFLY_CONF", sandbox.conf().toString()), sandbox.logDir()));
      p.awaitLine(NODE_READY, LIMIT);

      p.close();

      assertThat(p.awaitExit(LIMIT)).as("%s", p.describe()).isEqualTo(SIGTERM_EXIT);
    }
  }
}
