package io.damselfly.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an {@link ApiClient} connection: one exchange at a time, its whole answer handed over as
 * status and body bytes. Every field is touched on the channel's event loop only.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {
  private ChannelHandlerContext ctx;
  private CompletableFuture<ApiClient.Answer> current;
  private boolean used;
  private boolean reused;

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    this.ctx = c;
  }

  /**
   * Sends {@code request} (released here) and completes {@code answer} with the reply; fails it after
   * {@code timeoutMillis}, closing the connection. From any thread. Cancelling {@code answer} closes the
   * connection too, so the server stops holding the request (a long poll) at once.
   */
  void begin(HttpRequest request, CompletableFuture<ApiClient.Answer> answer, long timeoutMillis) {
    ctx.executor().execute(() -> {
      if (!ctx.channel().isActive()) {
        ReferenceCountUtil.release(request);
        answer.completeExceptionally(used ? new StaleConnection() : new RangeException(RangeException.Kind.IO, "connection closed"));
        return;
      }
      current = answer;
      reused = used;
      var timer = ctx.executor().schedule(() -> fail(answer, new RangeException(RangeException.Kind.TIMEOUT,
          "no answer within " + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
      answer.whenComplete((a, e) -> {
        timer.cancel(false);
        if (answer.isCancelled()) {
          ctx.executor().execute(() -> fail(answer, null));
        }
      });
      ctx.writeAndFlush(request).addListener(f -> {
        if (!f.isSuccess()) {
          fail(answer, reused ? new StaleConnection() : new RangeException(RangeException.Kind.IO, "cannot send: " + f.cause(),
              f.cause()));
        }
      });
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    try {
      CompletableFuture<ApiClient.Answer> x = current;
      if (x == null) {
        c.close(); // bytes nobody asked for
        return;
      }
      if (!(msg instanceof FullHttpResponse r) || r.decoderResult().isFailure()) {
        fail(x, new RangeException(RangeException.Kind.IO, "not an HTTP answer"
            + (msg instanceof FullHttpResponse r ? ": " + r.decoderResult().cause() : "")));
        return;
      }
      current = null;
      used = true;
      if (!HttpUtil.isKeepAlive(r)) {
        c.close();
      }
      x.complete(new ApiClient.Answer(r.status().code(), ByteBufUtil.getBytes(r.content())));
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Ends {@code x} with {@code failure} (null: it was cancelled) when it is still the current exchange. */
  private void fail(CompletableFuture<ApiClient.Answer> x, Exception failure) {
    if (current != x) {
      return;
    }
    current = null;
    ctx.close();
    if (failure != null) {
      x.completeExceptionally(failure);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    CompletableFuture<ApiClient.Answer> x = current;
    if (x != null) {
      fail(x, reused ? new StaleConnection() : new RangeException(RangeException.Kind.IO, "connection closed before the answer"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    CompletableFuture<ApiClient.Answer> x = current;
    if (x != null) {
      fail(x, new RangeException(RangeException.Kind.IO, cause.toString(), cause));
    } else {
      c.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object evt) {
    if (evt instanceof IdleStateEvent && current == null) {
      c.close();
    }
    c.fireUserEventTriggered(evt);
  }
}
