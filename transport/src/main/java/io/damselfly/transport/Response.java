package io.damselfly.transport;

import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What a handler answers: a full body, a zero-copy file range, or a body streamed as it is made. */
public sealed interface Response {
  HttpResponseStatus status();

  HttpHeaders headers();

  /** A body held in memory (small answers: JSON, errors, text). */
  record Full(HttpResponseStatus status, HttpHeaders headers, byte[] body) implements Response {}

  /**
   * {@code count} bytes of {@code file} from {@code position}, sent without copying through the heap;
   * {@code done} runs once when the answer was sent or could not be.
   */
  record FileRange(HttpResponseStatus status, HttpHeaders headers, Path file, long position, long count,
      Runnable done) implements Response {
    public FileRange(HttpResponseStatus status, HttpHeaders headers, Path file, long position, long count) {
      this(status, headers, file, position, count, () -> { });
    }
  }

  /**
   * A body written by {@code writer} on the handler's virtual thread, with back-pressure.
   *
   * @param contentLength body length, or -1 for chunked transfer encoding
   */
  record Streaming(HttpResponseStatus status, HttpHeaders headers, long contentLength, BodyWriter writer)
      implements Response {}

  /**
   * Answers with a head only, then hands the raw connection to {@code opener} (a proxy's {@code CONNECT}
   * tunnel): this server stops reading HTTP on it. The opener runs on the connection's event loop.
   */
  record Takeover(HttpResponseStatus status, HttpHeaders headers, Tunnel.Opener opener) implements Response {}

  /** Writes a streamed body; every call to the sink blocks until the bytes are flushed. */
  @FunctionalInterface
  interface BodyWriter {
    void write(BodySink sink) throws Exception;
  }

  /** Where a {@link BodyWriter} puts its bytes. */
  interface BodySink {
    void write(byte[] bytes, int offset, int length) throws java.io.IOException;

    /** Sends {@code count} bytes of {@code file} from {@code position} without copying them. */
    void writeFile(Path file, long position, long count) throws java.io.IOException;

    /** False once the client has closed the connection (a writer that sends nothing for a while checks this). */
    default boolean open() {
      return true;
    }
  }

  static Response json(HttpResponseStatus status, Object value) {
    return withType(status, Json.write(value), "application/json");
  }

  static Response ok(Object value) {
    return json(HttpResponseStatus.OK, value);
  }

  static Response text(HttpResponseStatus status, String text) {
    return withType(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  static Response bytes(HttpResponseStatus status, String contentType, byte[] body) {
    return withType(status, body, contentType);
  }

  static Response empty(HttpResponseStatus status) {
    return new Full(status, protocolHeaders(), new byte[0]);
  }

  /** Headers every answer carries. */
  static HttpHeaders protocolHeaders() {
    return new DefaultHttpHeaders().set(ProtocolV1.HEADER_PROTOCOL, ProtocolV1.VERSION);
  }

  private static Response withType(HttpResponseStatus status, byte[] body, String type) {
    HttpHeaders h = protocolHeaders().set(HttpHeaderNames.CONTENT_TYPE, type);
    return new Full(status, h, body);
  }
}
