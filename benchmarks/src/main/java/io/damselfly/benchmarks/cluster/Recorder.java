package io.damselfly.benchmarks.cluster;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the simulated peers saw, shared by all of them: answers per second, which supernode each task was
 * registered with before the kill, each task's first assignment after the kill, finished and failed downloads.
 * Times are milliseconds since the run's start.
 */
final class Recorder {
  /** Seconds of the per-second counters; later answers count in the last slot. */
  static final int SECONDS = 3600;
  private final InstantSource clock;
  private final long startMillis;
  private final AtomicLongArray answers = new AtomicLongArray(SECONDS);
  private final AtomicLongArray errors = new AtomicLongArray(SECONDS);
  private final AtomicLongArray assignments = new AtomicLongArray(SECONDS);
  private final AtomicReferenceArray<String> ownerBeforeKill;
  private final AtomicLongArray firstAssignedAfterKill;
  private final AtomicLongArray firstAskedAfterKill;
  private final AtomicLongArray downloadMillis;
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> failoverCauses = new ConcurrentHashMap<>();
  private final AtomicInteger finished = new AtomicInteger();
  private volatile long killMillis = -1;

  Recorder(InstantSource clock, int tasks, int peers) {
    this.clock = clock;
    this.startMillis = clock.millis();
    this.ownerBeforeKill = new AtomicReferenceArray<>(tasks);
    this.firstAssignedAfterKill = new AtomicLongArray(tasks);
    this.firstAskedAfterKill = new AtomicLongArray(tasks);
    this.downloadMillis = new AtomicLongArray(peers);
    for (int i = 0; i < tasks; i++) {
      firstAssignedAfterKill.set(i, -1);
      firstAskedAfterKill.set(i, -1);
    }
    for (int i = 0; i < peers; i++) {
      downloadMillis.set(i, -1);
    }
  }

  long now() {
    return clock.millis() - startMillis;
  }

  private static int slot(long millis) {
    return (int) Math.min(SECONDS - 1, Math.max(0, millis / 1000));
  }

  /** An answer from a supernode (any status); {@code error} when it was no usable answer. */
  void answer(boolean error) {
    int s = slot(now());
    answers.incrementAndGet(s);
    if (error) {
      errors.incrementAndGet(s);
    }
  }

  /** A registration of a peer of {@code task} was accepted by {@code node}. */
  void registered(int task, String node) {
    if (killMillis < 0) {
      ownerBeforeKill.set(task, node);
    }
  }

  /**
   * A peer of {@code task} is about to ask a supernode for work (register or schedule, not a heart-beat): after
   * the kill, the first such moment per task is when the task needs serving again.
   */
  void asking(int task) {
    long kill = killMillis;
    if (kill >= 0) {
      firstAskedAfterKill.compareAndSet(task, -1, now());
    }
  }

  /** A schedule answer for a peer of {@code task} carried {@code count} assignments. */
  void assigned(int task, int count) {
    long t = now();
    assignments.addAndGet(slot(t), count);
    long kill = killMillis;
    if (count > 0 && kill >= 0 && t >= kill) {
      firstAssignedAfterKill.compareAndSet(task, -1, t);
    }
  }

  /** A peer lost its supernode (or was forgotten) and registers again; {@code cause} says why. */
  void failover(String cause) {
    failoverCauses.computeIfAbsent(cause, c -> new AtomicInteger()).incrementAndGet();
  }

  void finished(int peer, long millis) {
    downloadMillis.set(peer, millis);
    finished.incrementAndGet();
  }

  void failed(int peer, String why) {
    failures.add("peer " + peer + ": " + why);
  }

  void killed() {
    killMillis = now();
  }

  long killMillis() {
    return killMillis;
  }

  int finished() {
    return finished.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  Map<String, Integer> failoverCauses() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    failoverCauses.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  int tasks() {
    return ownerBeforeKill.length();
  }

  int peers() {
    return downloadMillis.length();
  }

  String ownerBeforeKill(int task) {
    return ownerBeforeKill.get(task);
  }

  long firstAssignedAfterKill(int task) {
    return firstAssignedAfterKill.get(task);
  }

  long firstAskedAfterKill(int task) {
    return firstAskedAfterKill.get(task);
  }

  long downloadMillis(int peer) {
    return downloadMillis.get(peer);
  }

  long answers(int second) {
    return answers.get(second);
  }

  long errors(int second) {
    return errors.get(second);
  }

  long assignments(int second) {
    return assignments.get(second);
  }
}
