package io.damselfly.dfdaemon.fetch;

import io.damselfly.common.ByteRange;
import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.cache.BlobCache;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.transport.RangeHeader;
import io.damselfly.transport.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Answers a GET with content that arrives over P2P: bytes go to the client in order as soon as their
 * pieces are verified, then from the cache once the download is done; if the download fails midway the
 * rest comes from the origin with a Range request. A whole body is checked against its digest before its
 * last bytes leave.
 */
public final class ContentStreamer {
  private static final int CHUNK = 256 * 1024;
  /** The longest a reader waits without news; pieces, the file and the fetch's end wake it at once. */
  private static final long WAIT_MILLIS = 100;

  /** Where the bytes come from when P2P fails: the origin URL and the client's credentials (may be null). */
  public record Origin(String url, String authorization) {}

  private final BlobCache cache;
  private final UpstreamClient upstream;

  public ContentStreamer(BlobCache cache, UpstreamClient upstream) {
    this.cache = cache;
    this.upstream = upstream;
  }

  /**
   * The answer for {@code fetch}, or empty when it failed before its length was known (answer from the
   * origin instead).
   *
   * @param knownLength the length when known in advance (a registry's HEAD), else -1
   * @param digest the content's digest, or null when it has none
   * @param headers headers of the answer besides length and range ones
   */
  public Optional<Response> respond(P2pFetch fetch, long knownLength, String rangeHeader, Digest digest,
      HttpHeaders headers, Origin origin) throws InterruptedException {
    long total = knownLength >= 0 ? knownLength : awaitLength(fetch);
    if (total < 0) {
      return Optional.empty();
    }
    Digest check = rangeHeader == null ? digest : null;
    return Optional.of(ranged(rangeHeader, total, headers, (sink, range) -> {
      VerifyingSink out = new VerifyingSink(sink, check, range.length());
      long pos = copy(fetch, range.start(), range.endExclusive(), out);
      if (pos < range.endExclusive()) {
        fromOrigin(origin, pos, range.endExclusive(), out);
      }
    }));
  }

  /**
   * The answer from the cache entry {@code key}, or empty when the cache does not hold it. The entry is
   * pinned while its bytes are sent; evicted in between, the bytes come from the origin.
   */
  public Optional<Response> fromCache(String key, String rangeHeader, Digest digest, HttpHeaders headers,
      Origin origin) {
    long total;
    try (var probe = cache.lease(key).orElse(null)) {
      if (probe == null) {
        return Optional.empty();
      }
      total = probe.size();
    }
    return Optional.of(ranged(rangeHeader, total, headers, (sink, range) -> {
      Optional<BlobCache.Lease> lease = cache.lease(key);
      if (lease.isEmpty()) {
        VerifyingSink out = new VerifyingSink(sink, rangeHeader == null ? digest : null, range.length());
        fromOrigin(origin, range.start(), range.endExclusive(), out);
        return;
      }
      try (BlobCache.Lease l = lease.get()) {
        sink.writeFile(l.path(), range.start(), range.length());
      }
    }));
  }

  /**
   * The origin's own answer to a GET, relayed as it comes; a whole 200 body with a digest is verified
   * before its last bytes leave.
   */
  public Response fromOrigin(Origin origin, String rangeHeader, Digest digest, boolean head) {
    HttpResponse<InputStream> r = upstream.fetch(origin.url(), origin.authorization(), rangeHeader);
    if (head || r.statusCode() != 200 || digest == null) {
      return UpstreamClient.relay(r, head);
    }
    long length = UpstreamClient.contentLength(r);
    return new Response.Streaming(HttpResponseStatus.OK, Headers.fromUpstream(r.headers()), length, sink -> {
      VerifyingSink out = new VerifyingSink(sink, digest, length);
      try (InputStream in = r.body()) {
        in.transferTo(new SinkStream(out));
      }
      out.finish();
    });
  }

  /** Writes one range of a body. */
  @FunctionalInterface
  private interface RangeWriter {
    void write(Response.BodySink sink, ByteRange range) throws Exception;
  }

  /** 200 with the whole body, or 206 with the client's range; an empty body needs no writer. */
  private static Response ranged(String rangeHeader, long total, HttpHeaders headers, RangeWriter writer) {
    ByteRange range = range(rangeHeader, total);
    headers.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    if (range == null) {
      return new Response.Full(HttpResponseStatus.OK, headers, new byte[0]);
    }
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (rangeHeader != null) {
      status = HttpResponseStatus.PARTIAL_CONTENT;
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.toContentRange(total));
    }
    return new Response.Streaming(status, headers, range.length(), sink -> writer.write(sink, range));
  }

  private static ByteRange range(String header, long total) {
    if (header == null) {
      return total == 0 ? null : new ByteRange(0, total);
    }
    try {
      return RangeHeader.parse(header, total);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.RANGE_NOT_SATISFIABLE, e.getMessage());
    }
  }

  /** Waits until the fetch knows its length; -1 when it ended without success first. */
  static long awaitLength(P2pFetch fetch) throws InterruptedException {
    while (true) {
      long n = fetch.knownLength();
      if (n >= 0) {
        return n;
      }
      if (fetch.end().isDone()) {
        try {
          P2pFetch.End end = fetch.end().get();
          return end.ok() ? end.event().totalBytes() : -1;
        } catch (ExecutionException e) {
          return -1;
        }
      }
      fetch.awaitChange(-1, WAIT_MILLIS);
    }
  }

  /** Sends {@code [pos, end)} from the fetch; returns how far it got (less than end when the fetch failed). */
  long copy(P2pFetch fetch, long pos, long end, Response.BodySink out) throws IOException, InterruptedException {
    FileChannel ch = null;
    HeldFile opened = null;
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    try {
      while (pos < end) {
        if (fetch.end().isDone()) {
          P2pFetch.End e = fetch.end().join();
          Optional<BlobCache.Lease> lease = e.ok() ? cache.lease(e.cacheKey()) : Optional.empty();
          if (lease.isEmpty()) {
            return pos;
          }
          try (BlobCache.Lease l = lease.get(); FileChannel file = FileChannel.open(l.path(), StandardOpenOption.READ)) {
            return send(file, pos, end, buf, out);
          }
        }
        HeldFile held = fetch.servingFile();
        int n = (int) Math.min(CHUNK, end - pos);
        int seen = held == null ? -1 : held.heldCount(); // read before the check, so no piece goes unnoticed
        if (held != null && held.holds(pos, n)) {
          if (opened != held) {
            closeQuietly(ch);
            ch = open(held);
            opened = ch == null ? null : held;
          }
          if (ch != null && read(ch, pos, n, buf)) {
            out.write(buf.array(), 0, n);
            pos += n;
            continue;
          }
        }
        fetch.awaitChange(seen, WAIT_MILLIS);
      }
      return pos;
    } finally {
      closeQuietly(ch);
    }
  }

  private static long send(FileChannel file, long pos, long end, ByteBuffer buf, Response.BodySink out) throws IOException {
    while (pos < end) {
      int n = (int) Math.min(CHUNK, end - pos);
      if (!read(file, pos, n, buf)) {
        return pos;
      }
      out.write(buf.array(), 0, n);
      pos += n;
    }
    return pos;
  }

  private void fromOrigin(Origin origin, long pos, long end, Response.BodySink out) throws IOException {
    HttpResponse<InputStream> r = upstream.fetch(origin.url(), origin.authorization(), "bytes=" + pos + "-" + (end - 1));
    try (InputStream in = r.body()) {
      if (r.statusCode() == 200) {
        in.skipNBytes(pos);
      } else if (r.statusCode() != 206 || !r.headers().firstValue("content-range").orElse("").startsWith("bytes " + pos + "-")) {
        throw new IOException("the origin answered " + r.statusCode() + " to the rest of " + origin.url());
      }
      byte[] buf = new byte[CHUNK];
      long left = end - pos;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("the origin's body ended " + left + " bytes early");
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }

  private static FileChannel open(HeldFile held) {
    for (int attempt = 0; attempt < 2; attempt++) {
      Path p = held.path();
      try {
        return FileChannel.open(p, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        // renamed while we looked (temporary file to kept file): take the new path
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean read(FileChannel ch, long pos, int n, ByteBuffer buf) throws IOException {
    buf.clear().limit(n);
    long at = pos;
    while (buf.hasRemaining()) {
      int got = ch.read(buf, at);
      if (got < 0) {
        return false;
      }
      at += got;
    }
    return true;
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // read-only
      }
    }
  }

  /** An OutputStream over a body sink, for {@link InputStream#transferTo}. */
  private static final class SinkStream extends java.io.OutputStream {
    private final Response.BodySink sink;

    SinkStream(Response.BodySink sink) {
      this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
      sink.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      sink.write(b, off, len);
    }
  }
}
