package io.damselfly.supernode.preheat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One preheat job and its progress; fields are read by API threads while its runner writes them. */
public final class PreheatJob {
  /** The Dragonfly 1 states Harbor reads. */
  public enum State { WAITING, RUNNING, SUCCESS, FAILED }

  /** One blob or file the job warmed. */
  public record Warmed(String url, String taskId) {}

  /**
   * What the supernode's store keeps of a job, so it survives a restart. Never its headers (registry or
   * origin credentials): {@code credentials} only says whether it had some.
   */
  record Snapshot(String id, long number, boolean image, String url, List<String> platforms, String digest,
      boolean credentials, State state, long createdMillis, long startedMillis, long finishedMillis, String error,
      List<Warmed> warmed) {}

  private final String id;
  private final long number;
  private final PreheatRequest request;
  private final Instant created;
  private final List<Warmed> warmed = new ArrayList<>();
  private volatile State state = State.WAITING;
  private volatile Instant started;
  private volatile Instant finished;
  private volatile String error = "";

  PreheatJob(String id, long number, PreheatRequest request, Instant created) {
    this.id = id;
    this.number = number;
    this.request = request;
    this.created = created;
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(id, number, request.image(), request.url(), request.platforms(), request.digest(),
        !request.headers().isEmpty(), state, created.toEpochMilli(), millis(started), millis(finished), error,
        List.copyOf(warmed));
  }

  /** The job a snapshot describes; its request has no headers (they were never stored). */
  static PreheatJob restore(Snapshot s) {
    PreheatJob j = new PreheatJob(s.id(), s.number(),
        new PreheatRequest(s.image(), s.url(), java.util.Map.of(), s.platforms(), s.digest()),
        Instant.ofEpochMilli(s.createdMillis()));
    j.state = s.state();
    j.started = s.startedMillis() == 0 ? null : Instant.ofEpochMilli(s.startedMillis());
    j.finished = s.finishedMillis() == 0 ? null : Instant.ofEpochMilli(s.finishedMillis());
    j.error = s.error() == null ? "" : s.error();
    if (s.warmed() != null) {
      j.warmed.addAll(s.warmed());
    }
    return j;
  }

  private static long millis(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }

  public String id() { return id; }
  /** The job's number, as the Dragonfly 2 manager's numeric job ids. */
  public long number() { return number; }
  public PreheatRequest request() { return request; }
  public State state() { return state; }
  public Instant created() { return created; }
  public Instant started() { return started; }
  public Instant finished() { return finished; }
  public String error() { return error; }

  public synchronized List<Warmed> warmed() {
    return List.copyOf(warmed);
  }

  void running(Instant now) {
    started = now;
    state = State.RUNNING;
  }

  synchronized void warmed(Warmed w) {
    warmed.add(w);
  }

  void succeeded(Instant now) {
    finished = now;
    state = State.SUCCESS;
  }

  void failed(Instant now, String why) {
    finished = now;
    error = why == null ? "failed" : why;
    state = State.FAILED;
  }

  /** The last change, for the Dragonfly 2 {@code updated_at}. */
  public Instant updated() {
    return finished != null ? finished : started != null ? started : created;
  }
}
