package io.damselfly.e2e;

import io.damselfly.testing.OriginServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a class of end-to-end tests shares: an origin, a sandbox, one supernode process and a dfget runner
 * (two minutes per run). Closing it stops them in reverse order.
 */
public record Stage(OriginServer origin, Sandbox sandbox, SupernodeProcess supernode, Dfget dfget)
    implements AutoCloseable {

  /** Starts the origin, then a supernode with its home and logs in a sandbox under {@code dir}. */
  public static Stage start(Path dir) throws Exception {
    OriginServer origin = OriginServer.start();
    Sandbox sandbox = null;
    try {
      sandbox = Sandbox.in(dir);
      SupernodeProcess supernode =
          SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(), List.of());
      return new Stage(origin, sandbox, supernode, new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(2)));
    } catch (Exception | Error e) {
      if (sandbox != null) {
        sandbox.close();
      }
      origin.close();
      throw e;
    }
  }

  @Override
  public void close() {
    supernode.close();
    sandbox.close();
    origin.close();
  }
}
