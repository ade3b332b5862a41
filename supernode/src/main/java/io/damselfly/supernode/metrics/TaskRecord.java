package io.damselfly.supernode.metrics;

import io.damselfly.supernode.cdn.CdnTask;
import io.damselfly.supernode.scheduler.TaskPieces;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** What the ledger remembers of one task; thread-safe (written on the scheduler thread, read by the dashboard). */
public final class TaskRecord {
  /** Throughput samples kept: five minutes at one a second. */
  static final int MAX_SAMPLES = 300;
  /** Gone peers kept for the piece map. */
  static final int MAX_GONE = 64;

  /**
   * The task's totals at one moment.
   *
   * @param atMillis epoch milliseconds
   * @param deliveredBytes verified piece bytes peers reported so far (from the CDN and from peers)
   * @param originBytes bytes the CDN received from the origin so far
   */
  public record Sample(long atMillis, long deliveredBytes, long originBytes) {}

  volatile CdnTask cdn;
  final LongAdder fromCdn = new LongAdder();
  final LongAdder fromPeers = new LongAdder();
  final AtomicBoolean fetchEndLogged = new AtomicBoolean();
  private final Instant started;
  private volatile Instant lastActive;
  private volatile int peersNow;
  private int peersEver;
  private final Map<String, TaskPieces.PeerPieces> gone = new LinkedHashMap<>();
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  TaskRecord(CdnTask cdn, Instant started) {
    this.cdn = cdn;
    this.started = started;
    this.lastActive = started;
  }

  public String taskId() {
    return cdn.id().value();
  }

  public Instant started() {
    return started;
  }

  Instant lastActive() {
    return lastActive;
  }

  /** Verified bytes peers reported from the CDN. */
  public long bytesFromCdn() {
    return fromCdn.sum();
  }

  /** Verified bytes peers reported from other peers. */
  public long bytesFromPeers() {
    return fromPeers.sum();
  }

  /** Bytes the CDN received from the origin for this task. */
  public long originBytes() {
    return cdn.originBytes();
  }

  public int peersNow() {
    return peersNow;
  }

  public synchronized int peersEver() {
    return peersEver;
  }

  /** Peers that left or expired, most recent last, with the pieces they held. */
  public synchronized List<TaskPieces.PeerPieces> gone() {
    return List.copyOf(gone.values());
  }

  /** The throughput series, oldest first. */
  public synchronized List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  synchronized void joined(String peerId, Instant now) {
    gone.remove(peerId);
    peersEver++;
    peersNow++;
    lastActive = now;
  }

  synchronized void left(TaskPieces.PeerPieces peer, int peersLeft, Instant now) {
    gone.remove(peer.peerId());
    gone.put(peer.peerId(), peer);
    if (gone.size() > MAX_GONE) {
      gone.remove(gone.keySet().iterator().next());
    }
    peersNow = peersLeft;
    lastActive = now;
  }

  synchronized void sample(long nowMillis) {
    Sample s = new Sample(nowMillis, fromCdn.sum() + fromPeers.sum(), cdn.originBytes());
    Sample last = samples.peekLast();
    if (last != null && peersNow == 0 && last.deliveredBytes() == s.deliveredBytes()
        && last.originBytes() == s.originBytes()) {
      return; // idle: nothing new to draw
    }
    samples.addLast(s);
    if (samples.size() > MAX_SAMPLES) {
      samples.removeFirst();
    }
  }
}
