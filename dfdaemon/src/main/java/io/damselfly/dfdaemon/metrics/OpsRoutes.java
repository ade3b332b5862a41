package io.damselfly.dfdaemon.metrics;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Readiness;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /_ping} / {@code GET /_ready} on dfdaemon's port.
 * Requests that are really for someone else (proxied absolute URLs such as {@code http://host/metrics})
 * pass to {@code elsewhere}. {@code /_ready} answers as the daemon's {@link Readiness} says.
 */
public final class OpsRoutes {

  private final DaemonMetrics metrics;
  private final Readiness readiness;

  public OpsRoutes(DaemonMetrics metrics, Readiness readiness) {
    this.metrics = metrics;
    this.readiness = readiness;
  }

  /** Adds the routes to {@code router}; {@code foreign} requests go to {@code elsewhere}. */
  public Router mount(Router router, Predicate<Request> foreign, Handler elsewhere) {
    return router
        .get(ProtocolV1.METRICS, guarded(foreign, elsewhere, r -> Response.bytes(HttpResponseStatus.OK, ProtocolV1.PROMETHEUS_TEXT,
            metrics.registry().scrape().getBytes(StandardCharsets.UTF_8))))
        .get(ProtocolV1.PING, guarded(foreign, elsewhere, r -> Response.text(HttpResponseStatus.OK, "OK")))
        .get(ProtocolV1.READY, guarded(foreign, elsewhere, r -> readiness.answer()));
  }

  private static Handler guarded(Predicate<Request> foreign, Handler elsewhere, Handler mine) {
    return r -> foreign.test(r) ? elsewhere.handle(r) : mine.handle(r);
  }
}
