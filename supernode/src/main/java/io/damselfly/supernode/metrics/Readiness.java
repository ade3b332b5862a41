package io.damselfly.supernode.metrics;

import io.damselfly.transport.Response;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Whether the supernode takes work: STARTING until it serves, READY, then STOPPING once shutdown begins. */
public final class Readiness {
  /** The states, in the only order they are passed through. */
  public enum State { STARTING, READY, STOPPING }

  private volatile State state = State.STARTING;

  public State state() {
    return state;
  }

  /** Everything serves: {@code /_ready} answers 200. */
  public void ready() {
    if (state == State.STARTING) {
      state = State.READY;
    }
  }

  /** Shutdown began: {@code /_ready} answers 503 from now on. */
  public void stopping() {
    state = State.STOPPING;
  }

  /** 200 {@code READY}, or 503 naming the state. */
  public Response answer() {
    State s = state;
    return s == State.READY ? Response.text(HttpResponseStatus.OK, "READY")
        : Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, s.name());
  }
}
