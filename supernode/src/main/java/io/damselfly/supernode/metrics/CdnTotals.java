package io.damselfly.supernode.metrics;

import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.cdn.CdnTask;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes the CDN received from origins and sent to peers, over every task it ever served: monotonic counters
 * even though the CDN forgets tasks it evicts (their last counts are kept when they go).
 */
public final class CdnTotals {
  private final Set<CdnTask> live = ConcurrentHashMap.newKeySet();
  private long retiredOrigin;
  private long retiredServed;

  /** A task peers use; counted from now on (any thread). */
  public void see(CdnTask task) {
    live.add(task);
  }

  public synchronized long originBytes() {
    retire();
    return retiredOrigin + live.stream().mapToLong(CdnTask::originBytes).sum();
  }

  public synchronized long servedBytes() {
    retire();
    return retiredServed + live.stream().mapToLong(CdnTask::cdnBytes).sum();
  }

  /** Keeps the final counts of evicted tasks and lets the tasks go. */
  private void retire() {
    for (Iterator<CdnTask> it = live.iterator(); it.hasNext(); ) {
      CdnTask t = it.next();
      if (t.status() == TaskStatus.EVICTED) {
        retiredOrigin += t.originBytes();
        retiredServed += t.cdnBytes();
        it.remove();
      }
    }
  }
}
