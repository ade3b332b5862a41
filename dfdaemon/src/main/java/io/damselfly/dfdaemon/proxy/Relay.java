package io.damselfly.dfdaemon.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Copies bytes read on one channel to another, untouched, pausing reads while the other side cannot
 * take more (back-pressure); closing either side closes both.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private volatile Channel to;

  Relay(Channel to) {
    this.to = to;
  }

  void to(Channel other) {
    this.to = other;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel out = to;
    out.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        ctx.close();
        f.channel().close();
      }
    });
    if (!out.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel out = to;
    if (ctx.channel().isWritable() && out != null) {
      out.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeOnFlush(to);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      closeOnFlush(to);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
    closeOnFlush(to);
  }

  static void closeOnFlush(Channel ch) {
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
