package io.damselfly.peer.testkit;

import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.RangeHeader;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake upload server that misbehaves on every piece request: it answers with the right number of
 * wrong bytes (a corrupt disk), never answers (a stalled host), or is always busy. Counts the requests it got.
 */
public final class FakePeer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger asked = new AtomicInteger();

  private FakePeer(Handling handling) {
    Router router = new Router().get(ProtocolV1.FILE, r -> {
      asked.incrementAndGet();
      return handling.answer(r.headers().get(HttpHeaderNames.RANGE));
    });
    this.server = HttpServer.start(ServerConfig.defaults("fake-peer", 0).withBindHost("127.0.0.1"), router);
  }

  /** Answers every range of a file of {@code length} bytes with bytes that are all wrong. */
  public static FakePeer corrupt(long length) {
    return new FakePeer(range -> {
      var r = RangeHeader.parse(range, length);
      byte[] garbage = new byte[Math.toIntExact(r.length())];
      Arrays.fill(garbage, (byte) 0x5a);
      Response reply = Response.bytes(HttpResponseStatus.PARTIAL_CONTENT, "application/octet-stream", garbage);
      reply.headers().set(HttpHeaderNames.CONTENT_RANGE, r.toContentRange(length));
      return reply;
    });
  }

  /** Answers every piece request BUSY, as a peer serving all the uploads it takes at once does. */
  public static FakePeer busy() {
    return new FakePeer(range -> {
      throw new io.damselfly.protocol.ApiException(io.damselfly.protocol.ErrorCode.BUSY, "serving 4 uploads already");
    });
  }

  /** Never answers: each request waits until the server closes. */
  public static FakePeer stalling() {
    return new FakePeer(range -> {
      new CountDownLatch(1).await();
      throw new IllegalStateException("unreachable");
    });
  }

  public int port() {
    return server.port();
  }

  /** Piece requests received so far. */
  public int asked() {
    return asked.get();
  }

  @Override
  public void close() {
    server.close();
  }

  @FunctionalInterface
  private interface Handling {
    Response answer(String rangeHeader) throws Exception;
  }
}
