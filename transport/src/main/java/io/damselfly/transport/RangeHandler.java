package io.damselfly.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a {@link RangeClient} connection: runs one {@link Exchange} at a time, copying each
 * chunk of the answer into the caller's buffer on the event loop and pausing reads as the pacer says.
 * Every field is touched on the channel's event loop only; callers see the exchange's {@code done}.
 */
final class RangeHandler extends ChannelInboundHandlerAdapter {
  /**
   * A wake-up that read less than this in the middle of an answer pauses reading for {@link #COALESCE_NANOS}, so
   * that the next wake-up takes what arrived meanwhile. On a capped link the bytes trickle in a packet at a time
   * and every packet would otherwise cost a wake-up of the event loop, a read and a pass through the pipeline: the
   * loop's share of a host's CPU grew with the number of connections it received from. On a fast link every
   * wake-up reads more than this and nothing pauses.
   */
  static final int SMALL_READ = 64 * 1024;
  /** How long reading pauses after a small read: at 100 Mbit/s about 25 KB arrive meanwhile. */
  static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** The most body bytes a BUSY answer may have for its connection to be kept. */
  static final int MAX_REFUSAL_BODY = 16 * 1024;
  /** Linux's {@code SO_RCVLOWAT}: the bytes a socket gathers before epoll reports it readable. */
  private static final IntegerUnixChannelOption RCVLOWAT = new IntegerUnixChannelOption("SO_RCVLOWAT", 1, 18);

  /** Sets how many bytes a connection gathers before the event loop wakes for it; false when it cannot. */
  @FunctionalInterface
  interface ReadWater {
    boolean set(Channel ch, int bytes);
  }

  /** The kernel's low-water mark, where the channel supports it (epoll); elsewhere the pause below is used. */
  static final ReadWater KERNEL = (ch, bytes) -> {
    try {
      return ch.config().setOption(RCVLOWAT, bytes);
    } catch (ChannelException e) {
      return false;
    }
  };

  private final ReadWater water;
  private boolean watered;
  private int lowWater = 1;
  private ChannelHandlerContext ctx;
  private Exchange current;
  private boolean used;
  private int readThisWakeUp;

  /** One ranged GET: where its bytes go and how it ends. */
  static final class Exchange {
    final byte[] into;
    final int length;
    final Pacer pacer;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private int at;
    private boolean answered;
    private boolean keepAlive = true;
    /** A BUSY answer: its short body is read to its end and dropped, so the connection stays usable. */
    private RangeException refusal;
    private int dropped;
    private boolean reused;

    Exchange(byte[] into, int length, Pacer pacer) {
      this.into = into;
      this.length = length;
      this.pacer = pacer;
    }
  }

  /** A handler that pauses reading after small reads (no kernel low-water mark). */
  RangeHandler() {
    this(null);
  }

  /**
   * @param water sets the kernel's low-water mark: mid-answer the loop then wakes once per {@link #SMALL_READ}
   *     (or for the answer's last bytes) instead of once per packet, with no pause to schedule; null, or a
   *     setter that fails, falls back to pausing reads after a small one
   */
  RangeHandler(ReadWater water) {
    this.water = water;
    this.watered = water != null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    this.ctx = c;
  }

  /** Wakes the loop only once {@code bytes} are buffered (1: at once), when the kernel can do that. */
  private void lowWater(int bytes) {
    if (!watered || bytes == lowWater) {
      return;
    }
    if (water.set(ctx.channel(), bytes)) {
      lowWater = bytes;
    } else {
      watered = false;
    }
  }

  /** Sends {@code request} for {@code x}; from any thread. */
  void begin(Exchange x, HttpRequest request) {
    ctx.executor().execute(() -> {
      if (!ctx.channel().isActive()) {
        x.done.completeExceptionally(used ? new StaleConnection() : new RangeException(RangeException.Kind.IO, "connection closed"));
        return;
      }
      current = x;
      x.reused = used;
      ctx.writeAndFlush(request).addListener(f -> {
        if (!f.isSuccess() && current == x) {
          end(x, x.reused ? new StaleConnection() : new RangeException(RangeException.Kind.IO, "cannot send: " + f.cause(), f.cause()));
        }
      });
    });
  }

  /** Stops {@code x} (the caller gave up): no byte is written into its buffer after the returned future. */
  CompletableFuture<Void> abandon(Exchange x) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    try {
      ctx.executor().execute(() -> {
        if (current == x) {
          current = null;
          ctx.close();
        }
        stopped.complete(null);
      });
    } catch (RuntimeException e) { // the loop is gone: nothing runs on it any more
      stopped.complete(null);
    }
    return stopped;
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    try {
      Exchange x = current;
      if (x == null) {
        c.close(); // bytes nobody asked for
        return;
      }
      if (msg instanceof HttpResponse r && !answer(x, r)) {
        return;
      }
      if (msg instanceof HttpContent content) {
        body(c, x, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private boolean answer(Exchange x, HttpResponse r) {
    x.answered = true;
    if (r.decoderResult().isFailure()) {
      end(x, new RangeException(RangeException.Kind.IO, "not an HTTP answer: " + r.decoderResult().cause()));
      return false;
    }
    if (r.status().code() == 503) {
      x.refusal = new RangeException(RangeException.Kind.BUSY, "busy (503)");
      x.keepAlive = HttpUtil.isKeepAlive(r);
      return true;
    }
    if (r.status().code() != 206) {
      end(x, new RangeException(RangeException.Kind.STATUS, "answered " + r.status().code()));
      return false;
    }
    long declared = HttpUtil.getContentLength(r, -1L);
    if (declared >= 0 && declared != x.length) {
      end(x, new RangeException(declared > x.length ? RangeException.Kind.LONG : RangeException.Kind.SHORT,
          "announced " + declared + " bytes, " + x.length + " asked"));
      return false;
    }
    x.keepAlive = HttpUtil.isKeepAlive(r);
    return true;
  }

  private void body(ChannelHandlerContext c, Exchange x, HttpContent content) {
    ByteBuf b = content.content();
    int n = b.readableBytes();
    if (x.refusal != null) {
      x.dropped += n;
      if (x.dropped > MAX_REFUSAL_BODY) {
        end(x, x.refusal); // not the short error body of a busy peer: drop the connection
      } else if (content instanceof LastHttpContent) {
        end(x, x.refusal, true);
      }
      return;
    }
    if (n > x.length - x.at) {
      end(x, new RangeException(RangeException.Kind.LONG, "sent more than the " + x.length + " bytes asked"));
      return;
    }
    b.readBytes(x.into, x.at, n);
    x.at += n;
    readThisWakeUp += n;
    long pause = 0;
    for (int left = n; left > 0; left -= Pacer.MAX_RESERVE) {
      pause = Math.max(pause, x.pacer.reserve(Math.min(left, Pacer.MAX_RESERVE)));
    }
    if (!(content instanceof LastHttpContent) && current == x) {
      // never more than the bytes still to come, or the answer's tail would not wake the loop
      lowWater(Math.max(1, Math.min(SMALL_READ, x.length - x.at)));
    }
    if (content instanceof LastHttpContent) {
      if (x.at < x.length) {
        end(x, new RangeException(RangeException.Kind.SHORT, "sent " + x.at + " of " + x.length + " bytes"));
      } else {
        end(x, null);
      }
    }
    if (pause > 0 && c.channel().isActive()) {
      pauseReading(c, pause);
    }
  }

  /** After the reads of one wake-up: a small read in the middle of an answer pauses reading briefly. */
  @Override
  public void channelReadComplete(ChannelHandlerContext c) {
    int got = readThisWakeUp;
    readThisWakeUp = 0;
    Exchange x = current;
    if (!watered && x != null && x.refusal == null && got > 0 && got < SMALL_READ && x.length - x.at >= SMALL_READ
        && c.channel().config().isAutoRead() && c.channel().isActive()) {
      pauseReading(c, COALESCE_NANOS);
    }
    c.fireChannelReadComplete();
  }

  /** Stops reading this connection for {@code nanos}; a task on the same event loop turns reading back on. */
  private static void pauseReading(ChannelHandlerContext c, long nanos) {
    c.channel().config().setAutoRead(false);
    c.executor().schedule(() -> c.channel().config().setAutoRead(true), nanos, TimeUnit.NANOSECONDS);
  }

  private void end(Exchange x, Exception failure) {
    end(x, failure, failure == null);
  }

  /**
   * Ends {@code x} with {@code failure} (null: success). A whole answer ({@code whole}: the bytes asked for, or a
   * refusal read to its end) leaves the connection for the next exchange when the server keeps it; else it closes.
   */
  private void end(Exchange x, Exception failure, boolean whole) {
    current = null;
    lowWater(1); // the next answer's head is read at once
    if (whole) {
      used = true;
    }
    if (!whole || !x.keepAlive) {
      ctx.close();
    }
    if (failure == null) {
      x.done.complete(null);
    } else {
      x.done.completeExceptionally(failure);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    Exchange x = current;
    if (x != null) {
      lost(x, x.answered ? RangeException.Kind.SHORT : RangeException.Kind.IO,
          "connection closed after " + x.at + " of " + x.length + " bytes", null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    Exchange x = current;
    if (x != null) {
      lost(x, RangeException.Kind.IO, cause.toString(), cause);
    } else {
      c.close();
    }
  }

  /** The connection broke during {@code x}: on a kept connection before any answer, the server had closed it. */
  private void lost(Exchange x, RangeException.Kind kind, String detail, Throwable cause) {
    end(x, !x.answered && x.reused ? new StaleConnection() : new RangeException(kind, detail, cause));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object evt) {
    if (evt instanceof IdleStateEvent && current == null) {
      c.close();
    }
    c.fireUserEventTriggered(evt);
  }
}
