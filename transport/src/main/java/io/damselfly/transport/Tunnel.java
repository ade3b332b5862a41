package io.damselfly.transport;

import io.netty.channel.Channel;

/**
 * A connection taken over after a {@link Response.Takeover} head (a proxy's {@code CONNECT}): the HTTP
 * handlers have left its pipeline, reading is paused until the opener turns it on again
 * ({@code channel().config().setAutoRead(true)}), and the opener may add handlers of its own (a TLS
 * layer, a byte relay) and then serve HTTP again with {@link #serveHttp}.
 */
public final class Tunnel {
  private final Channel channel;
  private final HttpServer.Stack stack;

  Tunnel(Channel channel, HttpServer.Stack stack) {
    this.channel = channel;
    this.stack = stack;
  }

  public Channel channel() {
    return channel;
  }

  /**
   * Serves HTTP on this connection again, after the handlers the opener added (for example a TLS
   * server handler that decrypts an intercepted {@code CONNECT}), with {@code router}'s routes, on the
   * server's handler threads. Turns reading back on.
   */
  public void serveHttp(Router router) {
    stack.addHttp(channel.pipeline(), router);
    channel.config().setAutoRead(true);
  }

  /** Takes over a connection; runs on its event loop, so it must not block. */
  @FunctionalInterface
  public interface Opener {
    void open(Tunnel tunnel) throws Exception;
  }
}
