package io.damselfly.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 origin on 127.0.0.1 for tests and the demo: serves files by path with ETag,
 * Last-Modified, conditional GET, Range and HEAD; counts body bytes and requests per path; injects
 * faults (error status, throttled body, dropped connection, chunked encoding) per path.
 */
public final class OriginServer implements AutoCloseable {
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  /** How a path misbehaves; {@link #NONE} serves normally. */
  public record Fault(int status, long bytesPerSecond, long dropAfter, boolean chunked, boolean noRanges) {
    public static final Fault NONE = new Fault(0, 0, -1, false, false);

    public static Fault status(int status) {
      return new Fault(status, 0, -1, false, false);
    }

    public static Fault throttle(long bytesPerSecond) {
      return new Fault(0, bytesPerSecond, -1, false, false);
    }

    public static Fault dropAfter(long bytes) {
      return new Fault(0, 0, bytes, false, false);
    }

    public static Fault chunkedBody() {
      return new Fault(0, 0, -1, true, false);
    }

    /** Ignores {@code Range}: every GET is answered 200 with the whole file, as origins without range support do. */
    public static Fault ignoreRanges() {
      return new Fault(0, 0, -1, false, true);
    }
  }

  private record Entry(Path file, String etag, Instant modified, Fault fault) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Entry> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> bodyBytes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger versions = new AtomicInteger();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, java.util.List<com.sun.net.httpserver.Headers>> received = new ConcurrentHashMap<>();
  private final Map<String, OneDrop> oneDrops = new ConcurrentHashMap<>();

  /** A connection drop that happens once, after which {@code then} runs (e.g. to replace the file). */
  private record OneDrop(long afterBytes, Runnable then) {}

  private OriginServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static OriginServer start() throws IOException {
    return new OriginServer();
  }

  /** Serves {@code file} at {@code path} (e.g. "/f.bin"); replacing a path gives it a new ETag. */
  public OriginServer serve(String path, Path file) {
    Entry old = files.get(path);
    files.put(path, new Entry(file, "\"v" + versions.incrementAndGet() + "\"",
        Instant.now().plusSeconds(versions.get()), old == null ? Fault.NONE : old.fault));
    return this;
  }

  public OriginServer fault(String path, Fault fault) {
    files.compute(path, (p, e) -> e == null ? new Entry(null, "\"none\"", Instant.EPOCH, fault)
        : new Entry(e.file, e.etag, e.modified, fault));
    return this;
  }

  /**
   * Drops the connection of the next body sent for {@code path} after {@code bytes} bytes, once; then runs
   * {@code then} (for example {@code () -> serve(path, newFile)}: the file changes while a fetch is under way).
   */
  public OriginServer dropOnce(String path, long bytes, Runnable then) {
    oneDrops.put(path, new OneDrop(bytes, then));
    return this;
  }

  /** Answers {@code path} with 302 to {@code location} (e.g. another origin: object storage). */
  public OriginServer redirect(String path, String location) {
    redirects.put(path, location);
    return this;
  }

  /** The Authorization header of each request for {@code path}, in order ("" when absent). */
  public java.util.List<String> authorizations(String path) {
    return header(path, "Authorization");
  }

  /** The first {@code name} header of each request for {@code path}, in order ("" when absent). */
  public java.util.List<String> header(String path, String name) {
    java.util.List<com.sun.net.httpserver.Headers> all = received.getOrDefault(path, java.util.List.of());
    synchronized (all) {
      return all.stream().map(h -> java.util.Objects.requireNonNullElse(h.getFirst(name), "")).toList();
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Body bytes sent for {@code path} so far (all requests). */
  public long bodyBytes(String path) {
    AtomicLong n = bodyBytes.get(path);
    return n == null ? 0 : n.get();
  }

  public int requests(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      received.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
          .add(new com.sun.net.httpserver.Headers(ex.getRequestHeaders()));
      String location = redirects.get(path);
      if (location != null) {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
        return;
      }
      Entry e = files.get(path);
      if (e != null && e.fault.status > 0) {
        ex.sendResponseHeaders(e.fault.status, -1);
        return;
      }
      if (e == null || e.file == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(e.file);
      var h = ex.getResponseHeaders();
      h.set("ETag", e.etag);
      h.set("Last-Modified", HTTP_DATE.format(e.modified));
      h.set("Accept-Ranges", "bytes");
      h.set("Content-Type", "application/octet-stream");
      String inm = ex.getRequestHeaders().getFirst("If-None-Match");
      if (inm != null && inm.equals(e.etag)) {
        ex.sendResponseHeaders(304, -1);
        return;
      }
      long start = 0;
      long end = size - 1;
      int status = 200;
      String range = ex.getRequestHeaders().getFirst("Range");
      String ifRange = ex.getRequestHeaders().getFirst("If-Range");
      if (range != null && ifRange != null && !ifRange.equals(e.etag)
          && !ifRange.equals(HTTP_DATE.format(e.modified))) {
        range = null; // RFC 9110: the representation changed, so the whole new one is sent
      }
      if (e.fault.noRanges) {
        range = null;
        h.remove("Accept-Ranges");
      }
      if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
        String[] ab = range.substring(6).split("-", -1);
        start = Long.parseLong(ab[0]);
        if (!ab[1].isEmpty()) {
          end = Math.min(end, Long.parseLong(ab[1]));
        }
        if (start > end) {
          h.set("Content-Range", "bytes */" + size);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        status = 206;
        h.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
      }
      long length = end - start + 1;
      boolean head = ex.getRequestMethod().equals("HEAD");
      if (head) {
        h.set("Content-Length", Long.toString(length));
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, e.fault.chunked || length == 0 ? (length == 0 ? -1 : 0) : length);
      sendBody(ex.getResponseBody(), path, e, start, length);
    }
  }

  private void sendBody(OutputStream out, String path, Entry e, long start, long length) throws IOException {
    AtomicLong counter = bodyBytes.computeIfAbsent(path, p -> new AtomicLong());
    OneDrop once = oneDrops.remove(path);
    long dropAfter = once != null ? once.afterBytes() : e.fault.dropAfter;
    byte[] buf = new byte[64 * 1024];
    long begun = System.nanoTime();
    long sent = 0;
    try (FileChannel ch = FileChannel.open(e.file, StandardOpenOption.READ);
        InputStream in = java.nio.channels.Channels.newInputStream(ch.position(start))) {
      while (sent < length) {
        int want = (int) Math.min(buf.length, length - sent);
        if (e.fault.bytesPerSecond > 0) {
          want = (int) Math.min(want, Math.max(1, e.fault.bytesPerSecond / 10));
          pace(begun, sent, e.fault.bytesPerSecond);
        }
        if (dropAfter >= 0 && sent + want > dropAfter) {
          int last = (int) (dropAfter - sent);
          int n = in.readNBytes(buf, 0, last);
          out.write(buf, 0, n);
          out.flush();
          counter.addAndGet(n);
          if (once != null) {
            once.then().run();
          }
          throw new IOException("fault: connection dropped after " + dropAfter + " bytes");
        }
        int n = in.readNBytes(buf, 0, want);
        if (n <= 0) {
          break;
        }
        out.write(buf, 0, n);
        counter.addAndGet(n);
        sent += n;
      }
    }
  }

  private static void pace(long begunNanos, long sent, long bytesPerSecond) {
    long dueNanos = begunNanos + sent * 1_000_000_000L / bytesPerSecond;
    long wait = dueNanos - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs an origin serving the files given as {@code /path=file} arguments until killed (for bin/demo). */
  public static void main(String[] args) throws Exception {
    OriginServer origin = start();
    for (String a : args) {
      int eq = a.indexOf('=');
      origin.serve(a.substring(0, eq), Path.of(a.substring(eq + 1)));
    }
    System.out.println("origin ready port=" + origin.port());
    Runtime.getRuntime().addShutdownHook(new Thread(origin::close));
    Thread.currentThread().join();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
