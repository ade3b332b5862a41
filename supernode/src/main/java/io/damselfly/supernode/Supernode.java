package io.damselfly.supernode;

import io.damselfly.supernode.api.ApiRoutes;
import io.damselfly.supernode.cdn.CdnStore;
import io.damselfly.supernode.cdn.OriginClient;
import io.damselfly.supernode.scheduler.Scheduler;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.RangeFileHandler;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import java.time.InstantSource;

/** A running supernode: CDN, scheduler, API server (8002) and piece server (8001), wired by hand. */
public final class Supernode implements AutoCloseable {
  private final OriginClient origin;
  private final Scheduler scheduler;
  private final CdnStore cdn;
  private final HttpServer pieces;
  private final HttpServer api;

  private Supernode(SupernodeConfig config, InstantSource clock) {
    this.origin = new OriginClient(config.originConnectTimeout(), config.originHeaderTimeout());
    this.scheduler = new Scheduler(config, clock);
    this.cdn = new CdnStore(config.dataDir(), origin, clock, config.revalidateAfter(), t -> scheduler.wake(t.id()));
    this.pieces = HttpServer.start(ServerConfig.defaults("supernode-pieces", config.piecePort())
        .withBindHost(config.bindHost()), RangeFileHandler.mount(new Router(), cdn));
    ApiRoutes routes = new ApiRoutes(cdn, scheduler, config.advertiseHost(), config.longPollWait(), pieces::port);
    this.api = HttpServer.start(ServerConfig.defaults("supernode-api", config.apiPort())
        .withBindHost(config.bindHost()), routes.router());
  }

  public static Supernode start(SupernodeConfig config, InstantSource clock) {
    return new Supernode(config, clock);
  }

  public int apiPort() {
    return api.port();
  }

  public int piecePort() {
    return pieces.port();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    api.close();
    pieces.close();
    cdn.close();
    scheduler.close();
    origin.close();
  }
}
