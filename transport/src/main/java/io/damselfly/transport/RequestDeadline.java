package io.damselfly.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request does not arrive whole within a deadline from its first byte. The
 * idle timeout alone cannot stop a client that dribbles one byte at a time (slowloris): each byte is
 * traffic. Armed by the first bytes of a request, disarmed by {@link DispatchHandler} once the request
 * is complete. Runs on the connection's event loop only.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);
  private final long millis;
  private ScheduledFuture<?> timer;

  RequestDeadline(long millis) {
    this.millis = millis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (timer == null) {
      timer = ctx.executor().schedule(() -> {
        LOG.debug("closing {}: request not complete within {} ms", ctx.channel(), millis);
        ctx.close();
      }, millis, TimeUnit.MILLISECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** The request arrived whole; the next one's first byte arms the deadline again. */
  void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }
}
