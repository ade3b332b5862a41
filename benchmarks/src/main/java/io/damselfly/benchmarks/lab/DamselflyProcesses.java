package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Host;
import io.damselfly.benchmarks.net.Logs;
import io.damselfly.benchmarks.net.Sh;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Starts a Damselfly run's long-running processes (supernode, dfdaemons) and reads the supernode's view. */
final class DamselflyProcesses {
  private static final int READY_SECONDS = 60;
  private static final int WARM_PINGS = 3;
  private final Trial t;

  DamselflyProcesses(Trial t) {
    this.t = t;
  }

  /** Starts a supernode with an empty home on the seed host; returns its API endpoint. */
  String startSupernode() throws IOException, InterruptedException {
    Host h = t.seed();
    Path home = Files.createDirectories(t.dir(h).resolve("supernode"));
    Path log = t.log(h, "supernode");
    t.procs().start(h.command(List.of(t.tools().bin("supernode").toString(), "--port",
        Integer.toString(h.port(DamselflySystem.API_PORT)), "--download-port",
        Integer.toString(h.port(DamselflySystem.PIECE_PORT)), "--home", home.toString(), "--advertise-ip",
        h.address())), log, t.tools().env());
    Logs.await(log, "supernode ready", READY_SECONDS);
    return h.endpoint(DamselflySystem.API_PORT);
  }

  /** Starts the host's dfdaemon (its own home) and waits until it is ready. */
  void startDaemon(Host h, String supernode, long cap) throws IOException, InterruptedException {
    Path home = Files.createDirectories(t.dir(h).resolve("dfdaemon"));
    Path log = t.log(h, "dfdaemon");
    List<String> argv = new ArrayList<>(List.of(t.tools().bin("dfdaemon").toString(), "--port",
        Integer.toString(h.port(DamselflySystem.DAEMON_PORT)), "--node", supernode, "--home", home.toString(),
        "--advertise-ip", h.address()));
    if (cap > 0) {
      argv.addAll(List.of("--upload-limit", Long.toString(cap), "--totallimit", Long.toString(cap)));
    }
    t.procs().start(h.command(argv), log, t.tools().env());
    Logs.await(log, "dfdaemon ready", READY_SECONDS);
    // dfget asks the daemon's local API with a 2 s timeout and runs a node of its own when no answer comes:
    // a few asks before the clock warm the daemon up, so a loaded machine does not send dfget past it
    for (int i = 0; i < WARM_PINGS; i++) {
      Sh.exec(h.command(List.of("curl", "-s", "-m", "10", "-o", "/dev/null", "http://127.0.0.1:"
          + h.port(DamselflySystem.DAEMON_PORT) + ProtocolV1.LOCAL_NODE)));
    }
  }

  /**
   * How many of the hosts' dfget runs did not go through the host's dfdaemon (their log names no
   * dfdaemon): they ran a node of their own, so their times are not daemon times.
   */
  int bypassedDaemon(List<Host> hosts) throws IOException {
    int n = 0;
    for (Host h : hosts) {
      if (Logs.find(t.dir(h).resolve("home").resolve("logs").resolve("dfget.log"), "goes to the dfdaemon")
          .isEmpty()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The supernode's task views, saved next to its log, summed up: what the supernode sent and the share of
   * bytes peers got from each other.
   */
  String shares(long size) throws IOException {
    Host h = t.seed();
    Sh.Result r = Sh.exec(h.command(List.of("curl", "-s", "http://" + h.endpoint(DamselflySystem.API_PORT)
        + "/api/v1/tasks")));
    if (r.exit() != 0 || r.out().isBlank()) {
      return "supernode views unavailable";
    }
    Files.writeString(t.dir(h).resolve("tasks.json"), r.out());
    TaskView[] views = Json.read(r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8), TaskView[].class);
    long cdn = 0;
    long fromPeers = 0;
    long fromCdn = 0;
    for (TaskView v : views) {
      cdn += v.cdnBytes();
      for (TaskView.PeerView p : v.peers()) {
        fromPeers += p.bytesFromPeers();
        fromCdn += p.bytesFromCdn();
      }
    }
    double peerShare = fromPeers + fromCdn == 0 ? 0 : 100.0 * fromPeers / (fromPeers + fromCdn);
    return String.format(Locale.ROOT, "supernode sent %.2f x size; peers got %.0f%% of pieces from peers",
        (double) cdn / size, peerShare);
  }
}
