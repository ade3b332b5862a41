package io.damselfly.dfdaemon;

import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A supernode and daemons on loopback for tests; closing it stops them all. */
public final class Cluster implements AutoCloseable {
  public final Supernode supernode;
  public final List<Dfdaemon> daemons = new ArrayList<>();
  private final Path dir;

  public Cluster(Path dir) {
    this.dir = dir;
    this.supernode = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")), InstantSource.system());
  }

  public String supernodeAddress() {
    return "127.0.0.1:" + supernode.apiPort();
  }

  /** Starts a daemon on random loopback ports with this cluster's supernode, adjusted by {@code tweak}. */
  public Dfdaemon daemon(String name, UnaryOperator<DaemonConfig> tweak) {
    DaemonConfig c = DaemonConfig.defaults(dir.resolve(name)).withPort(0).withBindHost("127.0.0.1")
        .withSupernodes(List.of(supernodeAddress())).withUpload(0, 0, 0, "127.0.0.1");
    Dfdaemon d = Dfdaemon.start(tweak.apply(c), InstantSource.system());
    daemons.add(d);
    return d;
  }

  @Override
  public void close() {
    daemons.forEach(Dfdaemon::close);
    supernode.close();
  }
}
