package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Host;
import io.damselfly.peer.NodeFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Damselfly: nginx as the origin, a supernode with a cold CDN on the seed host (it fetches from the origin
 * during the run), and dfget on every downloading host at once: standalone (dfget starts the home's node), or
 * handing the download to the host's dfdaemon started before the clock runs.
 */
final class DamselflySystem implements LabSystem {
  static final String NAME = "damselfly";
  static final String DAEMON_NAME = NAME + "-daemon";
  static final int API_PORT = 8002;
  static final int PIECE_PORT = 8001;
  static final int DAEMON_PORT = 65001;
  private final boolean daemon;

  DamselflySystem(boolean daemon) {
    this.daemon = daemon;
  }

  @Override
  public String name() {
    return daemon ? DAEMON_NAME : NAME;
  }

  @Override
  public int sourceHost() {
    return 0;
  }

  @Override
  public Outcome run(Trial t) throws Exception {
    DamselflyProcesses run = new DamselflyProcesses(t);
    long cap = t.net().kernelCaps() ? 0 : t.rateBytes();
    Nginx origin = Nginx.start(t.origin(), t.file().path().getParent(), t.dir(t.origin()).resolve("nginx"), cap,
        t.procs());
    String supernode = run.startSupernode();
    List<Path> homes = t.peers().stream().map(h -> t.dir(h).resolve("home")).toList();
    t.procs().adoptOnClose(() -> nodePids(homes));
    if (daemon) {
      for (Host h : t.peers()) {
        run.startDaemon(h, supernode, cap);
      }
    }
    List<Path> outputs = new ArrayList<>();
    Finishes finishes = new Finishes(t.n());
    for (int i = 0; i < t.n(); i++) {
      Host h = t.peers().get(i);
      Path out = Files.createDirectories(t.dir(h).resolve("out")).resolve(t.file().name());
      outputs.add(out);
      List<String> argv = new ArrayList<>(List.of(t.tools().bin("dfget").toString(), "--url",
          origin.url(t.file().name()), "--output", out.toString(), "--node", supernode, "--home",
          homes.get(i).toString(), "--keepalive", "2m", "--advertise-ip", h.address()));
      argv.addAll(daemon ? List.of("--daemon-port", Integer.toString(h.port(DAEMON_PORT))) : List.of("--no-daemon"));
      if (cap > 0) {
        argv.addAll(List.of("--upload-limit", Long.toString(cap), "--totallimit", Long.toString(cap)));
      }
      finishes.watch(i, t.procs().start(h.command(argv), t.log(h, "dfget"), t.tools().env()), "dfget");
    }
    boolean all = finishes.await(t.limit(), () -> {});
    String note = finishes.failures();
    String shares = run.shares(t.file().size());
    int bypassed = daemon ? run.bypassedDaemon(t.peers()) : 0;
    if (bypassed > 0) {
      shares += "; " + bypassed + " of " + t.n() + " dfget runs did not reach the dfdaemon (no answer to dfget's "
          + "2 s ping) and ran a node of their own";
    }
    note = (note.isEmpty() ? "" : note + "; ") + shares + (cap > 0 ? "; the supernode has no upload cap on loopback"
        : "");
    return new Outcome(finishes.seconds(), outputs, origin.bodyBytesSent(), all ? note : "limit reached; " + note);
  }

  /** The PIDs of the nodes dfget spawned for these homes. */
  static List<Long> nodePids(List<Path> homes) {
    List<Long> out = new ArrayList<>();
    for (Path home : homes) {
      Optional<NodeFile> f = readNodeFile(home);
      f.ifPresent(n -> out.add(n.pid()));
    }
    return out;
  }

  private static Optional<NodeFile> readNodeFile(Path home) {
    try {
      return NodeFile.read(home);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
