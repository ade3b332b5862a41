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
