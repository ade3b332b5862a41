package io.damselfly.dfdaemon.proxy;

import io.damselfly.common.HostPort;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.damselfly.transport.Tunnel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * {@code CONNECT host:port}: tunnels the bytes untouched, or, for hosts the user listed for interception,
 * answers the TLS handshake itself with a certificate of the daemon's CA and serves the decrypted requests
 * as proxy requests for {@code https://host:port}.
 */
public final class ConnectHandler implements AutoCloseable {
  private static final HttpResponseStatus ESTABLISHED = new HttpResponseStatus(200, "Connection Established");
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final long ORPHAN_SECONDS = 30;
  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

  private final List<Pattern> intercept;
  private final Interceptor interceptor;
  private final ProxyHandler proxy;
  private final EventLoopGroup upstreamLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("tunnel", true));

  /** @param interceptor null when no host is intercepted */
  public ConnectHandler(List<Pattern> intercept, Interceptor interceptor, ProxyHandler proxy) {
    this.intercept = List.copyOf(intercept);
    this.interceptor = interceptor;
    this.proxy = proxy;
  }

  public Response handle(Request r) throws InterruptedException {
    HostPort target = target(r.uri());
    if (interceptor != null && intercept.stream().anyMatch(p -> p.matcher(target.authority()).find())) {
      SslContext tls = interceptor.serverContext(target.host());
      String base = "https://" + (target.port() == 443 ? target.host() : target.authority());
      return new Response.Takeover(ESTABLISHED, new DefaultHttpHeaders(), tunnel -> {
        tunnel.channel().pipeline().addLast(tls.newHandler(tunnel.channel().alloc()));
        tunnel.serveHttp(new Router().fallback(
            inner -> proxy.serve(ProxyHandler.isProxyRequest(inner) ? inner.uri() : base + inner.uri(), inner)));
      });
    }
    Channel upstream = connect(target);
    AtomicBoolean spliced = new AtomicBoolean();
    // a client that goes away before its tunnel opens must not leave the upstream connection behind
    upstream.eventLoop().schedule(() -> {
      if (!spliced.get()) {
        upstream.close();
      }
    }, ORPHAN_SECONDS, TimeUnit.SECONDS);
    return new Response.Takeover(ESTABLISHED, new DefaultHttpHeaders(), tunnel -> {
      spliced.set(true);
      splice(tunnel, upstream);
    });
  }

  /**
   * The authority-form target of RFC 9110: a port is required, and a numeric host must be a whole dotted
   * IPv4 address (shorthands such as {@code 1} or {@code 127.1}, which resolvers read as other addresses, are
   * refused).
   */
  static HostPort target(String uri) {
    HostPort target;
    try {
      target = HostPort.parse(uri, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CONNECT needs host:port, got '" + uri + "': " + e.getMessage());
    }
    if (NUMERIC.matcher(target.host()).matches() && !IPV4.matcher(target.host()).matches()) {
      throw new IllegalArgumentException("CONNECT needs a whole IPv4 address or a host name, got '" + uri + "'");
    }
    return target;
  }

  private Channel connect(HostPort target) throws InterruptedException {
    Bootstrap b = new Bootstrap().group(upstreamLoop).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new Relay(null));
    ChannelFuture f = b.connect(target.host(), target.port());
    if (!f.await(CONNECT_TIMEOUT_MILLIS + 1000L, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
      f.channel().close();
      String why = f.cause() == null ? "timed out" : f.cause().getMessage();
      throw new ApiException(ErrorCode.ORIGIN_ERROR, "cannot connect to " + target + ": " + why);
    }
    return f.channel();
  }

  private static void splice(Tunnel tunnel, Channel upstream) {
    Channel client = tunnel.channel();
    if (!upstream.isActive()) {
      client.close();
      return;
    }
    upstream.pipeline().get(Relay.class).to(client);
    client.pipeline().addLast(new Relay(upstream));
    client.closeFuture().addListener(f -> Relay.closeOnFlush(upstream));
    upstream.config().setAutoRead(true);
    client.config().setAutoRead(true);
  }

  @Override
  public void close() {
    upstreamLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
