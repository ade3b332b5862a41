package io.damselfly.supernode.metrics;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.Readiness;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics} (Prometheus text format) and {@code GET /_ready} on the supernode's API port. */
public final class MetricsRoutes {

  private MetricsRoutes() {}

  /** Adds both routes to {@code router}. */
  public static Router mount(Router router, PrometheusMeterRegistry registry, Readiness readiness) {
    return router
        .get(ProtocolV1.METRICS, r -> Response.bytes(HttpResponseStatus.OK, ProtocolV1.PROMETHEUS_TEXT,
            registry.scrape().getBytes(StandardCharsets.UTF_8)))
        .get(ProtocolV1.READY, r -> readiness.answer());
  }
}
