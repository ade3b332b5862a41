package io.damselfly.transport;

import io.damselfly.protocol.ProtocolV1;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ranged GETs of piece bytes from other cluster nodes, on Netty. The event loop copies each chunk of an
 * answer straight into the caller's buffer and paces reads with the caller's {@link Pacer}, so a piece costs
 * no thread hand-off per chunk; the calling (virtual) thread only waits for the end. Connections are kept
 * per node and reused; they speak TLS and carry the cluster secret when the cluster's {@link ClusterAccess}
 * says so. Closing the client closes its connections and event loops.
 */
public final class RangeClient implements AutoCloseable {
  private static final int MAX_CHUNK = 128 * 1024;
  private static final int STALE_RETRIES = 2;
  private final EventLoopGroup loops;
  private final String secret;
  private final ChannelPools pools;

  /**
   * @param threads event loops (0: Netty's default)
   * @param idle a kept connection unused this long is closed
   */
  public RangeClient(ClusterAccess access, int threads, Duration connectTimeout, Duration idle) {
    this.loops = EventLoops.group(threads, "range-client");
    this.secret = access.secret();
    this.pools = new ChannelPools(loops, access, connectTimeout, idle, MAX_CHUNK,
        () -> new io.netty.channel.ChannelHandler[] {new RangeHandler(RangeHandler.KERNEL)});
  }

  /**
   * Fills {@code into[0, length)} with bytes {@code [offset, offset + length)} of {@code path} on the node at
   * {@code host:port}, sending {@code headers} too; fails unless the node answers 206 with exactly that many
   * bytes within {@code timeout}. Blocks the calling thread (meant for virtual threads).
   */
  public void get(String host, int port, String path, Map<String, String> headers, long offset, byte[] into,
      int length, Pacer pacer, Duration timeout) throws RangeException, InterruptedException {
    if (length <= 0 || length > into.length) {
      throw new IllegalArgumentException("length must be 1.." + into.length + ", got " + length);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    SimpleChannelPool pool = pools.pool(host, port);
    for (int attempt = 0; ; attempt++) {
      Channel ch = acquire(pool, deadline, host + ":" + port, timeout);
      RangeHandler handler = ch.pipeline().get(RangeHandler.class);
      RangeHandler.Exchange x = new RangeHandler.Exchange(into, length, pacer);
      try {
        if (handler == null) {
          // closed after the pool's health check: a closed channel's pipeline has no handlers left
          throw new StaleConnection();
        }
        handler.begin(x, request(host, port, path, headers, offset, length));
        await(handler, x, deadline, timeout);
        return;
      } catch (StaleConnection stale) {
        if (attempt == STALE_RETRIES) {
          throw new RangeException(RangeException.Kind.IO, host + ":" + port + " closed " + (attempt + 1)
              + " kept connections in a row");
        }
      } finally {
        pool.release(ch);
      }
    }
  }

  private HttpRequest request(String host, int port, String path, Map<String, String> headers, long offset,
      int length) {
    HttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    r.headers().set(HttpHeaderNames.HOST, (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
        .set(HttpHeaderNames.RANGE, "bytes=" + offset + "-" + (offset + length - 1));
    headers.forEach((k, v) -> r.headers().set(k, v));
    if (secret != null) {
      r.headers().set(ProtocolV1.HEADER_SECRET, secret);
    }
    return r;
  }

  private static Channel acquire(SimpleChannelPool pool, long deadline, String node, Duration timeout)
      throws RangeException, InterruptedException {
    CompletableFuture<Channel> got = ChannelPools.acquire(pool, node);
    try {
      return got.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      got.cancel(false);
      throw new RangeException(RangeException.Kind.TIMEOUT, "no connection to " + node + " within " + timeout);
    } catch (InterruptedException e) {
      got.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      throw (RangeException) e.getCause();
    }
  }

  private static void await(RangeHandler handler, RangeHandler.Exchange x, long deadline, Duration timeout)
      throws RangeException, StaleConnection, InterruptedException {
    try {
      x.done.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RangeException r -> throw r;
        case StaleConnection s -> throw s;
        default -> throw new RangeException(RangeException.Kind.IO, e.getCause().toString(), e.getCause());
      }
    } catch (TimeoutException e) {
      stop(handler, x);
      throw new RangeException(RangeException.Kind.TIMEOUT, "no whole answer within " + timeout);
    } catch (InterruptedException e) {
      stop(handler, x);
      throw e;
    }
  }

  /** Waits until the event loop will not touch {@code x}'s buffer any more (the caller reuses it). */
  private static void stop(RangeHandler handler, RangeHandler.Exchange x) {
    CompletableFuture<Void> stopped = handler.abandon(x);
    boolean interrupted = false;
    while (true) {
      try {
        stopped.get(5, TimeUnit.SECONDS);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | TimeoutException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    pools.close();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
