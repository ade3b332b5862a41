package io.damselfly.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;

/**
 * Kept client connections to cluster nodes, one pool per {@code host:port}, for {@link RangeClient} and
 * {@link ApiClient}: each connection speaks TLS when the cluster does (checking that the certificate names the
 * address dialled), decodes HTTP, closes after {@code idle} without traffic, and ends in the client's own
 * handler. Host names are resolved again for every new connection (a node named by host name may move).
 */
final class ChannelPools implements AutoCloseable {
  private final AbstractChannelPoolMap<Target, SimpleChannelPool> pools;

  private record Target(String host, int port) {}

  /** @param tail the handlers after the HTTP codec and the idle timer, new ones for each connection */
  ChannelPools(EventLoopGroup loops, ClusterAccess access, Duration connectTimeout, Duration idle, int maxChunk,
      Supplier<ChannelHandler[]> tail) {
    SslContext tls = access.tls() == null ? null : Tls.nettyClient(access.tls());
    Bootstrap base = new Bootstrap().group(loops).channel(EventLoops.channel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    this.pools = new AbstractChannelPoolMap<>() {
      @Override
      protected SimpleChannelPool newPool(Target t) {
        InetSocketAddress address = InetSocketAddress.createUnresolved(t.host(), t.port());
        return new SimpleChannelPool(base.clone().remoteAddress(address), new AbstractChannelPoolHandler() {
          @Override
          public void channelCreated(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            if (tls != null) {
              SslHandler ssl = tls.newHandler(ch.alloc(), t.host(), t.port());
              SSLParameters params = ssl.engine().getSSLParameters();
              params.setEndpointIdentificationAlgorithm("HTTPS");
              ssl.engine().setSSLParameters(params);
              p.addLast(ssl);
            }
            p.addLast(new HttpClientCodec(4096, 16 * 1024, maxChunk));
            p.addLast(new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
            p.addLast(tail.get());
          }
        });
      }
    };
  }

  SimpleChannelPool pool(String host, int port) {
    return pools.get(new Target(host, port));
  }

  /**
   * A connection of {@code pool}, kept or new; completes exceptionally with a {@link RangeException} of kind
   * CONNECT or IO when none can be had. A caller that stops waiting cancels the future: a connection that
   * arrives later goes back to the pool.
   */
  static CompletableFuture<Channel> acquire(SimpleChannelPool pool, String node) {
    CompletableFuture<Channel> got = new CompletableFuture<>();
    pool.acquire().addListener((io.netty.util.concurrent.Future<Channel> f) -> {
      if (!f.isSuccess()) {
        Throwable c = f.cause();
        got.completeExceptionally(new RangeException(c instanceof ConnectException ? RangeException.Kind.CONNECT
            : RangeException.Kind.IO, "cannot connect to " + node + ": " + c, c));
      } else if (!got.complete(f.getNow())) {
        pool.release(f.getNow());
      }
    });
    return got;
  }

  @Override
  public void close() {
    pools.close();
  }
}
