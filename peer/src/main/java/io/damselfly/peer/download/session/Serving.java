package io.damselfly.peer.download.session;

import io.damselfly.common.TaskId;
import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.peer.store.TaskFiles;
import io.damselfly.protocol.ScheduleRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this node has finished and keeps serving: it sends each supernode a heartbeat so it stays
 * a source, and leaves a task once its file expired. Also makes one download per task at a time:
 * a second request for a task in flight waits for the first and reuses its file.
 */
public final class Serving {
  private static final Logger LOG = LoggerFactory.getLogger(Serving.class);
  private final Map<TaskId, SupernodeClient> finished = new ConcurrentHashMap<>();
  private final Map<TaskId, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  public void finished(TaskId task, SupernodeClient client) {
    finished.put(task, client);
  }

  /**
   * Stops serving {@code task} at once and leaves it at its supernode, which then forgets the pieces
   * this node had: for a download that starts over on a node whose copy expired or was dropped.
   * Returns true when the task was served.
   */
  public boolean forget(TaskId task, String peerId) {
    SupernodeClient client = finished.remove(task);
    if (client == null) {
      return false;
    }
    client.leave(task, peerId);
    return true;
  }

  /** Null when the caller owns the task's download; else the download to wait for. */
  public CompletableFuture<Void> claim(TaskId task, CompletableFuture<Void> mine) {
    return inFlight.putIfAbsent(task, mine);
  }

  public void release(TaskId task, CompletableFuture<Void> mine) {
    inFlight.remove(task, mine);
  }

  public int downloadsInFlight() {
    return inFlight.size();
  }

  /** Heartbeats every served task; leaves (and forgets) tasks whose file is no longer held. */
  public void beat(TaskFiles files, String peerId) {
    for (var e : List.copyOf(finished.entrySet())) {
      TaskId task = e.getKey();
      if (!files.serving(task)) {
        finished.remove(task);
        e.getValue().leave(task, peerId);
        continue;
      }
      try {
        e.getValue().schedule(task, new ScheduleRequest(peerId, List.of(), List.of(), 0));
      } catch (IOException | DownloadFailure ex) {
        LOG.debug("heartbeat for {} failed: {}", task, ex.toString());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Leaves every task (node shutdown). */
  public void leaveAll(String peerId) {
    finished.forEach((task, client) -> client.leave(task, peerId));
    finished.clear();
  }
}
