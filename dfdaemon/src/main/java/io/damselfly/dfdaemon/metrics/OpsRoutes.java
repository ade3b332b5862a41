package io.damselfly.dfdaemon.metrics;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /_ping} / {@code GET /_ready} on dfdaemon's port.
 * Requests that are really for someone else (proxied absolute URLs such as {@code http://host/metrics})
 * pass to {@code elsewhere}. Ready once the daemon serves; not ready from the start of its shutdown.
 */
public final class OpsRoutes {

  private final DaemonMetrics metrics;
  private volatile String state = "STARTING";

  public OpsRoutes(DaemonMetrics metrics) {
    this.metrics = metrics;
  }

  /** Adds the routes to {@code router}; {@code foreign} requests go to {@code elsewhere}. */
  public Router mount(Router router, Predicate<Request> foreign, Handler elsewhere) {
    return router
        .get(ProtocolV1.METRICS, guarded(foreign, elsewhere, r -> Response.bytes(HttpResponseStatus.OK, ProtocolV1.PROMETHEUS_TEXT,
            metrics.registry().scrape().getBytes(StandardCharsets.UTF_8))))
        .get(ProtocolV1.PING, guarded(foreign, elsewhere, r -> Response.text(HttpResponseStatus.OK, "OK")))
        .get(ProtocolV1.READY, guarded(foreign, elsewhere, r -> {
          String s = state;
          return Response.text("ProtocolV1.READY".equals(s) ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, s);
        }));
  }

  /** The daemon serves: {@code /_ready} answers 200 (unless shutdown already began). */
  public void ready() {
    if ("STARTING".equals(state)) {
      state = "ProtocolV1.READY";
    }
  }

  /** Shutdown began: {@code /_ready} answers 503 from now on. */
  public void stopping() {
    state = "STOPPING";
  }

  private static Handler guarded(Predicate<Request> foreign, Handler elsewhere, Handler mine) {
    return r -> foreign.test(r) ? elsewhere.handle(r) : mine.handle(r);
  }
}
