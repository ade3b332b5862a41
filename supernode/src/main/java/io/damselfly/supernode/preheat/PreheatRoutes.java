package io.damselfly.supernode.preheat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.api.AdminGuard;
import io.damselfly.transport.ClusterAccess;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * The preheat API on the supernode's API port, in the two shapes Harbor speaks: the Dragonfly 1 provider
 * contract ({@code POST /preheats}, {@code GET /preheats/{id}}, {@code GET /_ping}) and the Dragonfly 2
 * manager's open API ({@code POST /oapi/v1/jobs}, {@code GET /oapi/v1/jobs/{id}}, {@code GET /healthy}).
 * Both start the same jobs ({@link PreheatJobs}).
 */
public final class PreheatRoutes implements AutoCloseable {
  /** Dragonfly 1 request; {@code platforms} is this supernode's addition (empty: every platform). */
  record Df1Request(String type, String url, Map<String, Object> headers, String image, String tag, String digest,
      List<String> platforms) {}

  record Df1Created(@JsonProperty("ID") String id) {}

  record Df1Status(@JsonProperty("ID") String id, String startTime, String finishTime, String errorMsg, String status) {}

  private final PreheatJobs jobs;
  private final AdminGuard admin;
  private final PreheatAuth auth;
  /** The clients the jobs reach supernodes and registries with; closed with the jobs. */
  private final List<HttpClient> clients;

  /**
   * @param self {@code host:port} of this supernode's API (blobs are registered there and follow their owner)
   * @param fileDeadline how long one blob or file may take to reach the CDN
   */
  public PreheatRoutes(java.util.function.Supplier<String> self, ClusterAccess access, AdminGuard admin, PreheatAuth auth, Duration fileDeadline,
      InstantSource clock) {
    this(self, access, admin, auth, fileDeadline, clock, null);
  }

  /** @param store where jobs are kept across restarts (the supernode's store), or null for memory only */
  public PreheatRoutes(java.util.function.Supplier<String> self, ClusterAccess access, AdminGuard admin, PreheatAuth auth, Duration fileDeadline,
      InstantSource clock, io.damselfly.supernode.store.StateStore store) {
    HttpClient cluster = io.damselfly.supernode.cluster.Cluster.client(access);
    HttpClient registries = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.clients = List.of(cluster, registries);
    this.jobs = new PreheatJobs(new ImageBlobs(registries), new CdnWarmer(cluster, access, self, fileDeadline), clock, store);
    this.admin = admin;
    this.auth = auth;
  }

  public PreheatJobs jobs() {
    return jobs;
  }

  /** Adds the preheat routes to {@code router}. */
  public Router mount(Router router) {
    ManagerJobs df2 = new ManagerJobs(jobs);
    return router
        .post(ProtocolV1.PREHEATS, guarded(this::create))
        .get(ProtocolV1.PREHEAT, guarded(r -> Response.ok(status(find(r.param("id"))))))
        .get(ProtocolV1.HEALTHY, r -> Response.text(HttpResponseStatus.OK, "OK"))
        .post(ProtocolV1.OAPI_JOBS, guarded(df2::create))
        .get(ProtocolV1.OAPI_JOBS, guarded(df2::list))
        .get(ProtocolV1.OAPI_JOB, guarded(r -> Response.ok(df2.view(find(r.param("id"))))));
  }

  private Handler guarded(Handler h) {
    return r -> {
      auth.require(r, admin);
      return h.handle(r);
    };
  }

  private Response create(Request r) {
    Df1Request req = r.json(Df1Request.class);
    boolean image = !"file".equals(req.type());
    if (req.type() != null && !req.type().equals("image") && !req.type().equals("file")) {
      throw new IllegalArgumentException("type must be image or file, got '" + req.type() + "'");
    }
    PreheatJobs.Submitted s = jobs.submit(new PreheatRequest(image, req.url(), PreheatRequest.headers(req.headers()),
        req.platforms(), req.digest()));
    boolean done = s.existing() && s.job().state() == PreheatJob.State.SUCCESS;
    return Response.json(done ? HttpResponseStatus.valueOf(208) : HttpResponseStatus.OK, new Df1Created(s.job().id()));
  }

  PreheatJob find(String id) {
    return jobs.job(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no preheat job " + id));
  }

  static Df1Status status(PreheatJob j) {
    return new Df1Status(j.id(), j.started() == null ? "" : j.started().toString(),
        j.finished() == null ? "" : j.finished().toString(), j.error(), j.state().name());
  }

  /**
   * Stops the jobs, then their HTTP clients: requests still running are aborted (their jobs were interrupted),
   * and each client's selector thread ends. A selector left running blocks in native code, which makes the JVM
   * wait about 300 ms for it at exit (the whole delay of an idle supernode's stop).
   */
  @Override
  public void close() {
    jobs.close();
    for (HttpClient client : clients) {
      client.shutdownNow();
      client.close();
    }
  }
}
