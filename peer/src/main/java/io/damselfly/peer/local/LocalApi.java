package io.damselfly.peer.local;

import io.damselfly.peer.download.DownloadJob;
import io.damselfly.peer.download.NodeContext;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The node's local API (loopback only): dfget posts a download and reads its progress as NDJSON; the
 * stream ends with one done or error event, and a closed connection cancels the download. With
 * {@code ?progress=none} only the final event is sent; the connection is still watched.
 */
public final class LocalApi {
  private static final long PROGRESS_EVERY_MILLIS = 200;
  private final NodeContext node;
  private final Supplier<NodeInfo> info;
  private final Runnable onActivity;

  public LocalApi(NodeContext node, Supplier<NodeInfo> info, Runnable onActivity) {
    this.node = node;
    this.info = info;
    this.onActivity = onActivity;
  }

  /** Adds the local routes to {@code router}. */
  public Router mount(Router router) {
    return router
        .get(ProtocolV1.LOCAL_NODE, r -> Response.ok(info.get()))
        .post(ProtocolV1.LOCAL_DOWNLOADS, this::download);
  }

  /** Refuses callers that are not on this host. */
  public static void requireLoopback(Request r) {
    if (r.remote() == null || !r.remote().getAddress().isLoopbackAddress()) {
      throw new ApiException(ErrorCode.FORBIDDEN, "the local API answers only callers on this host");
    }
  }

  private Response download(Request r) {
    requireLoopback(r);
    DownloadRequest req = r.json(DownloadRequest.class);
    boolean progress = !ProtocolV1.LOCAL_PROGRESS_NONE.equals(r.queryParam(ProtocolV1.LOCAL_PROGRESS));
    var headers = Response.protocolHeaders().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
    return new Response.Streaming(HttpResponseStatus.OK, headers, -1, sink -> stream(req, progress, sink));
  }

  private void stream(DownloadRequest req, boolean progress, Response.BodySink sink)
      throws IOException, InterruptedException {
    onActivity.run();
    DownloadJob job = new DownloadJob(node, req);
    CompletableFuture<ProgressEvent> result = new CompletableFuture<>();
    Thread worker = Thread.ofVirtual().name("download").start(() -> result.complete(job.run()));
    try {
      while (true) {
        try {
          ProgressEvent end = result.get(PROGRESS_EVERY_MILLIS, TimeUnit.MILLISECONDS);
          line(sink, end);
          return;
        } catch (TimeoutException e) {
          if (progress) {
            line(sink, job.progress());
          } else if (!sink.open()) {
            throw new IOException("the client closed the connection: download cancelled");
          }
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (!result.isDone()) {
        worker.interrupt();
        worker.join();
      }
      onActivity.run();
    }
  }

  private static void line(Response.BodySink sink, ProgressEvent e) throws IOException {
    byte[] json = Json.write(e);
    byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    sink.write(out, 0, out.length);
  }
}
