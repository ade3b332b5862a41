package io.damselfly.supernode.metrics;

import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics} (Prometheus text format) and {@code GET /_ready} on the supernode's API port. */
public final class MetricsRoutes {
  public static final String METRICS = "/metrics";
  public static final String READY = "/_ready";
  /** The Prometheus text exposition format, version 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoutes() {}

  /** Adds both routes to {@code router}. */
  public static Router mount(Router router, PrometheusMeterRegistry registry, Readiness readiness) {
    return router
        .get(METRICS, r -> Response.bytes(HttpResponseStatus.OK, PROMETHEUS_TEXT,
            registry.scrape().getBytes(StandardCharsets.UTF_8)))
        .get(READY, r -> readiness.answer());
  }
}
