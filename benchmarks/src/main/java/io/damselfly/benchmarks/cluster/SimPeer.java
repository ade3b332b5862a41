package io.damselfly.benchmarks.cluster;

import io.damselfly.benchmarks.cluster.SupernodeApi.Answer;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One simulated peer on a virtual thread: it registers the way the real peer's client does (its supernode list
 * in order, following {@code NOT_OWNER}, retrying up to 30 s while the cluster names an owner that died), asks for
 * {@code want} pieces at a time, "fetches" a batch in {@code fetch} time and reports it on its next request,
 * re-registers when its supernode is lost and reports pieces it already holds as {@code self}, as the real peer
 * does. After DONE it heart-beats its supernode every 20 s until the run ends. Its upload address is the shared
 * {@link PieceServer}, so a supernode taking over a task can read the pieces it holds.
 */
final class SimPeer {
  static final String SELF = "self";
  private static final long FAILOVER_WAIT_MILLIS = 30_000;
  private static final int MAX_REDIRECTS = 3;
  private static final Duration HEARTBEAT = Duration.ofSeconds(20);

  /** What every simulated peer shares. */
  record Shared(SupernodeApi api, Recorder recorder, PieceServer pieces, ScaleConfig config) {}

  private final int index;
  private final int task;
  private final String url;
  private final Path file;
  private final List<String> nodes;
  private final Shared shared;
  private final String peerId;
  private final BitSet held = new BitSet();
  private int current = -1;
  private String preferred;
  private String node;
  private String taskId;
  private String lastError = "";

  SimPeer(int index, int task, String url, Path file, List<String> nodes, Shared shared) {
    this.index = index;
    this.task = task;
    this.url = url;
    this.file = file;
    this.nodes = List.copyOf(nodes);
    this.shared = shared;
    this.peerId = "sim-" + index;
  }

  /** Runs the download to DONE (or failure), then heart-beats until interrupted. */
  void run() throws InterruptedException {
    Recorder rec = shared.recorder();
    long arrived = rec.now();
    long deadline = arrived + shared.config().limit().toMillis();
    if (!register()) {
      rec.failed(index, "registration failed: " + lastError);
      return;
    }
    List<PieceDone> done = new ArrayList<>();
    while (true) {
      if (rec.now() > deadline) {
        rec.failed(index, "not finished within " + shared.config().limit().toSeconds() + " s (" + held.cardinality()
            + " pieces held)");
        return;
      }
      rec.asking(task);
      Answer<ScheduleResponse> a = shared.api().schedule(node, taskId,
          new ScheduleRequest(peerId, done, List.of(), shared.config().want()));
      switch (a.kind()) {
        case OK -> { }
        case GONE, FORGOTTEN, NOT_OWNER -> {
          rec.failover(a.kind().name().toLowerCase(java.util.Locale.ROOT));
          if (!register()) {
            rec.failed(index, "re-registration failed: " + lastError);
            return;
          }
          continue;
        }
        default -> {
          rec.failed(index, "schedule: " + a.detail());
          return;
        }
      }
      done = new ArrayList<>();
      ScheduleResponse r = a.body();
      switch (r.status()) {
        case ASSIGNED -> {
          rec.assigned(task, r.assignments().size());
          if (!r.assignments().isEmpty()) {
            Thread.sleep(shared.config().fetch());
          }
          for (Assignment as : r.assignments()) {
            done.add(new PieceDone(as.piece(), held.get(as.piece()) ? SELF : as.sources().get(0).peerId()));
            held.set(as.piece());
          }
        }
        case WAIT -> Thread.sleep(Math.max(50, Math.min(1000, r.retryAfterMillis())));
        case DONE -> {
          rec.finished(index, rec.now() - arrived);
          heartbeat();
          return;
        }
        case FAILED -> {
          rec.failed(index, "task failed: " + (r.error() == null ? "" : r.error().message()));
          return;
        }
      }
    }
  }

  private void heartbeat() throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      Thread.sleep(HEARTBEAT);
      shared.api().schedule(node, taskId, new ScheduleRequest(peerId, List.of(), List.of(), 0));
    }
  }

  /** The real client's registration: preferred owner first, then the list after the one last used. */
  private boolean register() throws InterruptedException {
    long deadline = shared.recorder().now() + FAILOVER_WAIT_MILLIS;
    RegisterRequest request = new RegisterRequest(url, Map.of(), null, List.of(), null,
        new PeerAddress(peerId, "127.0.0.1", shared.pieces().port()));
    while (true) {
      boolean redirected = false;
      for (int i = preferred != null ? 0 : 1; i <= nodes.size(); i++) {
        int at = Math.floorMod(current + i, nodes.size());
        String target = i == 0 ? preferred : nodes.get(at);
        preferred = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
          shared.recorder().asking(task);
          Answer<RegisterResponse> a = shared.api().register(target, request);
          if (a.kind() == SupernodeApi.Kind.OK) {
            current = i == 0 ? current : at;
            joined(target, a.body());
            return true;
          }
          lastError = target + ": " + a.detail();
          if (a.kind() == SupernodeApi.Kind.NOT_OWNER) {
            redirected = true;
            preferred = a.detail();
            target = a.detail();
          } else if (a.kind() == SupernodeApi.Kind.GONE) {
            break;
          } else {
            return false;
          }
        }
      }
      if (!redirected || shared.recorder().now() > deadline) {
        return false;
      }
      Thread.sleep(500); // the cluster still names an owner that died; its membership drops it soon
    }
  }

  private void joined(String target, RegisterResponse r) {
    if (taskId != null && !taskId.equals(r.taskId())) {
      held.clear(); // another version of the file: nothing held is valid for it
    }
    node = target;
    taskId = r.taskId();
    shared.pieces().serve(taskId, file);
    shared.recorder().registered(task, target);
  }
}
