package io.damselfly.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request to a virtual thread and writes its answer back. One request at a time per
 * connection: reading pauses until the answer is written, which bounds memory and keeps pipelined
 * answers in order.
 */
final class DispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchHandler.class);
  private static final int CHUNK = 64 * 1024;

  private final Router router;
  private final HttpServer.Stack stack;
  private final ExecutorService executor;
  private final boolean shaped;

  DispatchHandler(Router router, HttpServer.Stack stack) {
    this.router = router;
    this.stack = stack;
    this.executor = stack.handlers();
    this.shaped = stack.shaped();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    RequestDeadline deadline = ctx.pipeline().get(RequestDeadline.class);
    if (deadline != null) {
      deadline.disarm();
    }
    boolean keepAlive = HttpUtil.isKeepAlive(msg);
    if (msg.decoderResult().isFailure()) {
      Response r = ErrorMapper.error(ErrorCode.BAD_REQUEST, "malformed HTTP request: " + msg.decoderResult().cause().getMessage());
      write(ctx, r, false, false);
      return;
    }
    Request request;
    try {
      request = toRequest(ctx, msg);
    } catch (IllegalArgumentException e) {
      write(ctx, ErrorMapper.toResponse(e), false, false);
      return;
    }
    Response refused = refusal(request);
    if (refused != null) {
      write(ctx, refused, false, false);
      return;
    }
    ctx.channel().config().setAutoRead(false);
    boolean head = msg.method().equals(HttpMethod.HEAD);
    try {
      executor.execute(() -> serve(ctx, request, keepAlive, head));
    } catch (RejectedExecutionException e) {
      ctx.close();
    }
  }

  /**
   * The one check of the cluster secret: null when the request may pass. Liveness and readiness
   * ({@link ProtocolV1#PING}, {@link ProtocolV1#READY}) stay open so probes need no secret; {@code GET}
   * {@link ProtocolV1#METRICS} also passes with the read-only metrics token, when one is configured.
   */
  private Response refusal(Request request) {
    ClusterAccess access = stack.config().access();
    if (access.secret() == null || ProtocolV1.PING.equals(request.path()) || ProtocolV1.READY.equals(request.path())) {
      return null;
    }
    if (ProtocolV1.METRICS.equals(request.path()) && request.method().equals(HttpMethod.GET)
        && access.admitsMetrics(request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION))) {
      return null;
    }
    String presented = request.headers().get(ProtocolV1.HEADER_SECRET);
    if (presented == null) {
      return ErrorMapper.error(ErrorCode.UNAUTHORIZED, "this cluster needs its secret in " + ProtocolV1.HEADER_SECRET);
    }
    return access.admits(presented) ? null
        : ErrorMapper.error(ErrorCode.FORBIDDEN, "wrong cluster secret in " + ProtocolV1.HEADER_SECRET);
  }

  private void serve(ChannelHandlerContext ctx, Request request, boolean keepAlive, boolean head) {
    Response response;
    try {
      Router.Match match = router.match(request.method(), request.path());
      Request bound = new Request(request.method(), request.uri(), request.path(), request.query(),
          match.params(), request.headers(), request.body(), request.remote(), request.local());
      response = match.handler().handle(bound);
    } catch (Throwable t) {
      response = ErrorMapper.toResponse(t);
    }
    write(ctx, response, keepAlive, head);
  }

  /** Writes an answer; called on the handler's virtual thread (Netty writes are thread-safe). */
  private void write(ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean head) {
    if (response instanceof Response.Takeover t) {
      takeOver(ctx, t);
      return;
    }
    ChannelFuture last;
    try {
      last = switch (response) {
        case Response.Full f -> writeFull(ctx, f, keepAlive, head);
        case Response.FileRange fr -> writeFile(ctx, fr, keepAlive, head);
        case Response.Streaming s -> writeStreaming(ctx, s, keepAlive, head);
        case Response.Takeover t -> throw new IllegalStateException("handled above");
      };
    } catch (Throwable t) {
      LOG.debug("answer aborted on {}: {}", ctx.channel(), t.toString());
      ctx.close();
      if (response instanceof Response.FileRange fr) {
        fr.done().run();
      }
      return;
    }
    if (response instanceof Response.FileRange fr) {
      last.addListener(f -> fr.done().run());
    }
    if (keepAlive) {
      last.addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          f.channel().config().setAutoRead(true);
          f.channel().read();
        } else {
          f.channel().close();
        }
      });
    } else {
      last.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Sends the head, then removes the HTTP handlers (the codec last, so bytes it already buffered reach
   * the opener's handlers) and hands the connection over; reading stays paused until the opener resumes it.
   */
  private void takeOver(ChannelHandlerContext ctx, Response.Takeover t) {
    HttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, t.status(), Unpooled.EMPTY_BUFFER,
        t.headers(), new DefaultHttpHeaders());
    ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        f.channel().close();
        return;
      }
      var p = f.channel().pipeline();
      try {
        p.remove(ChunkedWriteHandler.class);
        if (p.get(RequestDeadline.class) != null) {
          p.remove(RequestDeadline.class);
        }
        p.remove(io.netty.handler.codec.http.HttpObjectAggregator.class);
        p.remove(this);
        var codec = p.get(io.netty.handler.codec.http.HttpServerCodec.class);
        t.opener().open(new Tunnel(f.channel(), stack));
        if (codec != null) {
          p.remove(codec);
        }
      } catch (Throwable e) {
        LOG.debug("takeover of {} failed: {}", f.channel(), e.toString());
        f.channel().close();
      }
    });
  }

  private static ChannelFuture writeFull(ChannelHandlerContext ctx, Response.Full f, boolean keepAlive, boolean head) {
    DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, f.status(),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.body()), f.headers(), new DefaultHttpHeaders());
    HttpUtil.setContentLength(res, f.body().length);
    HttpUtil.setKeepAlive(res, keepAlive);
    return ctx.writeAndFlush(res);
  }

  private ChannelFuture writeFile(ChannelHandlerContext ctx, Response.FileRange fr, boolean keepAlive, boolean head)
      throws IOException {
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, fr.status(), fr.headers());
    HttpUtil.setContentLength(res, fr.count());
    HttpUtil.setKeepAlive(res, keepAlive);
    if (head || fr.count() == 0) {
      ctx.write(res);
      return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    FileChannel file = FileChannel.open(fr.file(), StandardOpenOption.READ);
    try {
      ctx.write(res);
      if (shaped) {
        ctx.write(new ChunkedNioFile(file, fr.position(), fr.count(), CHUNK));
      } else {
        ctx.write(new DefaultFileRegion(file, fr.position(), fr.count()));
      }
    } catch (Throwable t) {
      file.close();
      throw t;
    }
    return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  private ChannelFuture writeStreaming(ChannelHandlerContext ctx, Response.Streaming s, boolean keepAlive, boolean head)
      throws Exception {
    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, s.status(), s.headers());
    if (s.contentLength() >= 0) {
      HttpUtil.setContentLength(res, s.contentLength());
    } else {
      res.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    HttpUtil.setKeepAlive(res, keepAlive);
    ctx.writeAndFlush(res);
    if (!head) {
      s.writer().write(new Sink(ctx));
    }
    return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** Blocks the writing virtual thread until each chunk is flushed: back-pressure without buffering. */
  private final class Sink implements Response.BodySink {
    private final ChannelHandlerContext ctx;

    Sink(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      for (int i = 0; i < length; i += CHUNK) {
        int n = Math.min(CHUNK, length - i);
        await(ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(bytes, offset + i, n))));
      }
    }

    @Override
    public void writeFile(Path path, long position, long count) throws IOException {
      if (count == 0) {
        return;
      }
      FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
      Object body = shaped ? new ChunkedNioFile(file, position, count, CHUNK) : new DefaultFileRegion(file, position, count);
      await(ctx.writeAndFlush(body));
    }

    @Override
    public boolean open() {
      return ctx.channel().isActive();
    }

    private void await(ChannelFuture f) throws IOException {
      try {
        f.sync();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending", e);
      } catch (Exception e) {
        throw new IOException("client went away: " + e.getMessage(), e);
      }
    }
  }

  private static Request toRequest(ChannelHandlerContext ctx, FullHttpRequest msg) {
    String uri = msg.uri();
    String path;
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      try {
        path = URI.create(uri).getRawPath();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("request target is not a valid URL: " + e.getMessage());
      }
      if (path == null || path.isEmpty()) {
        path = "/";
      }
    } else {
      int q = uri.indexOf('?');
      path = q < 0 ? uri : uri.substring(0, q);
    }
    byte[] body = new byte[msg.content().readableBytes()];
    msg.content().readBytes(body);
    return new Request(msg.method(), uri, path, Request.decodeQuery(uri), java.util.Map.of(),
        msg.headers().copy(), body, (InetSocketAddress) ctx.channel().remoteAddress(),
        (InetSocketAddress) ctx.channel().localAddress());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing {}: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
