package io.damselfly.transport;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a server takes work, for {@code GET /_ready} on the supernode and on dfdaemon: STARTING until it
 * serves, READY, then STOPPING once its shutdown begins. The answer's body is the state's name.
 */
public final class Readiness {
  /** The states, in the only order they are passed through. */
  public enum State { STARTING, READY, STOPPING }

  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

  public State state() {
    return state.get();
  }

  /** Everything serves: {@code /_ready} answers 200, unless shutdown already began. */
  public void ready() {
    state.compareAndSet(State.STARTING, State.READY);
  }

  /** Shutdown began: {@code /_ready} answers 503 from now on. */
  public void stopping() {
    state.set(State.STOPPING);
  }

  /** 200 {@code READY}, or 503 naming the state. */
  public Response answer() {
    State s = state.get();
    return Response.text(s == State.READY ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, s.name());
  }
}
