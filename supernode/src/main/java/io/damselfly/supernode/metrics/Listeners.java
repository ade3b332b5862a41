package io.damselfly.supernode.metrics;

import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.SchedulerListener;
import io.damselfly.supernode.scheduler.SchedulerSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;

/** Several scheduler listeners as one, called in order. */
public final class Listeners implements SchedulerListener {
  private final List<SchedulerListener> all;

  private Listeners(List<SchedulerListener> all) {
    this.all = List.copyOf(all);
  }

  public static SchedulerListener of(SchedulerListener... listeners) {
    return new Listeners(List.of(listeners));
  }

  @Override
  public void scheduleRequest(CdnTask task) {
    all.forEach(l -> l.scheduleRequest(task));
  }

  @Override
  public void assigned(CdnTask task, int fromCdn, int fromPeers) {
    all.forEach(l -> l.assigned(task, fromCdn, fromPeers));
  }

  @Override
  public void parked(CdnTask task) {
    all.forEach(l -> l.parked(task));
  }

  @Override
  public void pieceDone(CdnTask task, boolean fromCdn, int bytes, Duration latency) {
    all.forEach(l -> l.pieceDone(task, fromCdn, bytes, latency));
  }

  @Override
  public void peerJoined(CdnTask task, String peerId) {
    all.forEach(l -> l.peerJoined(task, peerId));
  }

  @Override
  public void peerIsolated(String peerId) {
    all.forEach(l -> l.peerIsolated(peerId));
  }

  @Override
  public void peerLeft(CdnTask task, String peerId, BitSet have, String reason, int peersLeft) {
    all.forEach(l -> l.peerLeft(task, peerId, have, reason, peersLeft));
  }

  @Override
  public void tick(Instant now, SchedulerSnapshot snapshot) {
    all.forEach(l -> l.tick(now, snapshot));
  }
}
