package io.damselfly.supernode.dashboard;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.api.ApiRoutes;
import io.damselfly.supernode.metrics.SupernodeMetrics;
import io.damselfly.supernode.metrics.TaskLedger;
import io.damselfly.supernode.metrics.TaskRecord;
import io.damselfly.supernode.scheduler.Scheduler;
import io.damselfly.supernode.scheduler.TaskPieces;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard on the supernode's API port: {@code GET /dashboard} (page, script and style from the class
 * path), {@code GET /api/v1/dashboard} ({@link Overview}) and {@code GET /api/v1/dashboard/tasks/{taskId}}
 * ({@link TaskPieces}: who holds which piece, with the peers gone from the task). Read-only.
 */
public final class DashboardRoutes {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Map<String, String> ASSETS = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private final Scheduler scheduler;
  private final SupernodeMetrics metrics;
  private final TaskLedger ledger;
  private final InstantSource clock;

  public DashboardRoutes(Scheduler scheduler, SupernodeMetrics metrics, TaskLedger ledger, InstantSource clock) {
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** Adds the dashboard's routes to {@code router}. */
  public Router mount(Router router) {
    return router
        .get(ProtocolV1.DASHBOARD, r -> asset("index.html"))
        .get(ProtocolV1.DASHBOARD_ASSET, r -> asset(r.param("file")))
        .get(ProtocolV1.DASHBOARD_FEED, r -> Response.ok(overview()))
        .get(ProtocolV1.DASHBOARD_PIECES, r -> Response.ok(pieces(TaskId.of(r.param("taskId")))));
  }

  Overview overview() throws Exception {
    List<TaskView> views = new ArrayList<>(ApiRoutes.await(scheduler.views(null), TIMEOUT));
    List<Overview.TaskRow> rows = new ArrayList<>(views.size());
    for (TaskView v : views) {
      Optional<TaskRecord> r = ledger.task(TaskId.of(v.taskId()));
      rows.add(new Overview.TaskRow(v.taskId(), v.url(), v.status(), v.contentLength(), v.pieceCount(),
          v.piecesStored(), v.originBytes(), v.cdnBytes(), r.map(TaskRecord::bytesFromCdn).orElse(0L),
          r.map(TaskRecord::bytesFromPeers).orElse(0L), v.peers().size(), r.map(TaskRecord::peersEver).orElse(0),
          r.map(t -> t.started().toEpochMilli()).orElse(0L), v.error(), r.map(TaskRecord::samples).orElse(List.of())));
    }
    rows.sort(Comparator.comparingLong(Overview.TaskRow::startedAt).reversed());
    return new Overview(clock.millis(), metrics.snapshot(), metrics.totals().originBytes(),
        metrics.totals().servedBytes(), rows);
  }

  TaskPieces pieces(TaskId id) throws Exception {
    TaskPieces now = ApiRoutes.await(scheduler.pieces(id), TIMEOUT);
    List<TaskPieces.PeerPieces> peers = new ArrayList<>(now.peers());
    ledger.task(id).ifPresent(r -> r.gone().stream()
        .filter(g -> now.peers().stream().noneMatch(p -> p.peerId().equals(g.peerId())))
        .forEach(peers::add));
    return new TaskPieces(now.taskId(), now.pieceCount(), now.piecesStored(), peers);
  }

  private static Response asset(String name) throws IOException {
    String type = ASSETS.get(name);
    if (type == null) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no dashboard file " + name);
    }
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new ApiException(ErrorCode.NOT_FOUND, "the dashboard file " + name + " is missing from the jar");
      }
      Response.Full page = (Response.Full) Response.bytes(HttpResponseStatus.OK, type, in.readAllBytes());
      page.headers().set("Cache-Control", "no-cache");
      return page;
    }
  }
}
