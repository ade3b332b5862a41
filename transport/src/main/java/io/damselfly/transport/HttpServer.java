package io.damselfly.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server: Netty does the I/O on its event loops; every request's handler runs on a
 * virtual thread of an executor this server owns. Closing the server closes both.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private final ServerConfig config;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService handlers;
  private final GlobalTrafficShapingHandler shaper;
  private final Channel channel;

  private HttpServer(ServerConfig config, Router router) throws InterruptedException {
    this.config = config;
    this.boss = EventLoops.group(1, config.name() + "-accept");
    this.workers = EventLoops.group(0, config.name() + "-io");
    this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(config.name() + "-handler-", 0).factory());
    this.shaper =
        config.uploadBytesPerSecond() > 0
            ? new GlobalTrafficShapingHandler(workers.next(), config.uploadBytesPerSecond(), 0, 100)
            : null;
    AtomicInteger open = new AtomicInteger();
    SslContext tls = config.access().tls() == null ? null : Tls.server(config.access().tls());
    // TLS encrypts in user space, so files go out in chunks rather than as zero-copy regions
    Stack stack = new Stack(config, handlers, shaper != null || tls != null);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(EventLoops.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (open.incrementAndGet() > config.maxConnections()) {
                      open.decrementAndGet();
                      ch.close();
                      return;
                    }
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    long idle = config.idleTimeout().toMillis();
                    var p = ch.pipeline();
                    if (tls != null) {
                      p.addLast(tls.newHandler(ch.alloc()));
                    }
                    p.addLast(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                    if (shaper != null) {
                      p.addLast(shaper);
                    }
                    stack.addHttp(p, router);
                  }
                });
    this.channel = b.bind(config.bindHost(), config.port()).sync().channel();
    LOG.info("{} listening on {}", config.name(), channel.localAddress());
  }

  /**
   * The HTTP handlers of a connection: the same for new connections and for a {@link Tunnel} serving HTTP
   * again. {@code shaped}: files are sent in chunks (upload cap or TLS), not as zero-copy regions.
   */
  record Stack(ServerConfig config, ExecutorService handlers, boolean shaped) {
    void addHttp(ChannelPipeline p, Router router) {
      p.addLast(new RequestDeadline(config.requestTimeout().toMillis()));
      p.addLast(new HttpServerCodec(8192, 32 * 1024, 64 * 1024));
      p.addLast(new HttpObjectAggregator(config.maxRequestBody()));
      p.addLast(new ChunkedWriteHandler());
      p.addLast(new DispatchHandler(router, this));
    }
  }

  /** Starts a server; returns once it listens. */
  public static HttpServer start(ServerConfig config, Router router) {
    try {
      return new HttpServer(config, router);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + config.name(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          config.name() + " cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public ServerConfig config() {
    return config;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    handlers.shutdownNow();
    if (shaper != null) {
      shaper.release();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
