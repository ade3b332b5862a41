package io.damselfly.supernode.scheduler;

import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.cdn.CdnTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the operator's view of a task from scheduler state (on the scheduler thread). */
final class TaskViews {
  private TaskViews() {}

  static TaskView of(TaskState t, Map<String, PeerRecord> peers) {
    CdnTask c = t.cdn;
    List<TaskView.PeerView> pv = new ArrayList<>();
    for (TaskPeer p : t.peers.values()) {
      PeerRecord r = p.peer;
      pv.add(new TaskView.PeerView(r.address.peerId(), r.address.host(), r.address.port(), r.status.name(),
          p.have.cardinality(), p.bytesFromPeers, p.bytesFromCdn, r.bytesUploaded, r.totalFailures));
    }
    return new TaskView(c.id().value(), c.url(), c.status(), c.layout().contentLength(), c.layout().pieceSize(),
        c.layout().pieceCount(), c.storedPieces(), c.fileDigest(), c.originBytes(), c.cdnBytes(),
        c.error() == null ? null : c.error().message(), pv, t.scheduleRequests);
  }
}
