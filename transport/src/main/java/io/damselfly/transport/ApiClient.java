package io.damselfly.transport;

import io.damselfly.protocol.ProtocolV1;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Small JSON exchanges with other cluster nodes (a supernode's API, a peer's piece map), on Netty: kept
 * connections per node, the whole answer collected on the event loop and handed over as bytes, the cluster
 * secret and TLS as the cluster's {@link ClusterAccess} says. A node thus speaks to its cluster with one HTTP
 * stack, the one {@link RangeClient} and the servers use. {@link #send} never blocks; {@link #call} blocks the
 * calling (virtual) thread. Closing the client closes its connections and event loop.
 */
public final class ApiClient implements AutoCloseable {
  /** The largest answer taken (a 16 GiB file's piece digests are about 80 KB). */
  static final int MAX_ANSWER = 8 * 1024 * 1024;
  private static final int STALE_RETRIES = 2;
  private final EventLoopGroup loops;
  private final String secret;
  private final ChannelPools pools;

  /** A node's answer. */
  public record Answer(int status, byte[] body) {}

  /**
   * @param threads event loops (0: Netty's default)
   * @param idle a kept connection unused this long is closed
   */
  public ApiClient(ClusterAccess access, int threads, Duration connectTimeout, Duration idle) {
    this.loops = EventLoops.group(threads, "api-client");
    this.secret = access.secret();
    this.pools = new ChannelPools(loops, access, connectTimeout, idle, 64 * 1024,
        () -> new ChannelHandler[] {new HttpObjectAggregator(MAX_ANSWER), new ApiHandler()});
  }

  /**
   * Sends {@code method path} to the node at {@code host:port} with {@code headers} and {@code body} (JSON, or
   * null for none). The future fails with an {@link IOException} ({@link RangeException}: CONNECT, TIMEOUT, IO)
   * when no whole answer came within {@code timeout}; cancelling it closes the connection.
   */
  public CompletableFuture<Answer> send(String method, String host, int port, String path, Map<String, String> headers,
      byte[] body, Duration timeout) {
    CompletableFuture<Answer> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    attempt(result, pools.pool(host, port), host + ":" + port, () -> request(method, host, port, path, headers, body),
        deadline, 0);
    return result;
  }

  /** {@link #send}, waiting for the answer. */
  public Answer call(String method, String host, int port, String path, Map<String, String> headers, byte[] body,
      Duration timeout) throws IOException, InterruptedException {
    CompletableFuture<Answer> f = send(method, host, port, path, headers, body, timeout);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
    }
  }

  private void attempt(CompletableFuture<Answer> result, SimpleChannelPool pool, String node,
      java.util.function.Supplier<FullHttpRequest> request, long deadline, int attempt) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      result.completeExceptionally(new RangeException(RangeException.Kind.TIMEOUT, "no answer from " + node));
      return;
    }
    CompletableFuture<Channel> got = ChannelPools.acquire(pool, node);
    result.whenComplete((a, e) -> got.cancel(false)); // a cancelled result stops waiting for a connection
    got.orTimeout(left, TimeUnit.NANOSECONDS).whenComplete((ch, e) -> {
      if (e != null) {
        result.completeExceptionally(e instanceof java.util.concurrent.TimeoutException
            ? new RangeException(RangeException.Kind.TIMEOUT, "no connection to " + node) : e);
        return;
      }
      ApiHandler handler = ch.pipeline().get(ApiHandler.class);
      CompletableFuture<Answer> one = new CompletableFuture<>();
      result.whenComplete((a, x) -> {
        if (x instanceof CancellationException) {
          one.cancel(false);
        }
      });
      one.whenComplete((a, x) -> {
        pool.release(ch);
        if (x instanceof StaleConnection && attempt < STALE_RETRIES) {
          attempt(result, pool, node, request, deadline, attempt + 1);
        } else if (x instanceof StaleConnection) {
          result.completeExceptionally(new RangeException(RangeException.Kind.IO, node + " closed "
              + (attempt + 1) + " kept connections in a row"));
        } else if (x != null) {
          result.completeExceptionally(x);
        } else {
          result.complete(a);
        }
      });
      if (handler == null) {
        one.completeExceptionally(new StaleConnection()); // closed after the pool's health check
      } else {
        handler.begin(request.get(), one, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    });
  }

  private FullHttpRequest request(String method, String host, int port, String path, Map<String, String> headers,
      byte[] body) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path,
        body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.HOST, (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
    if (body != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    headers.forEach((k, v) -> r.headers().set(k, v));
    if (secret != null) {
      r.headers().set(ProtocolV1.HEADER_SECRET, secret);
    }
    return r;
  }


  @Override
  public void close() {
    pools.close();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
