package io.damselfly.benchmarks.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.damselfly.protocol.ProtocolV1;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload port every simulated peer names: {@code GET /peer/v1/tasks/{taskId}/file} with one
 * {@code Range}, answered 206 from the task's file (the content the peers report holding). Only a supernode
 * taking over a task reads from it; the simulated peers do not move piece bytes among themselves.
 */
final class PieceServer implements AutoCloseable {
  private static final Pattern ROUTE = Pattern.compile("/peer/v1/tasks/([a-z0-9-]+)/file");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpServer server;
  private final Map<String, Path> files = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  PieceServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.setExecutor(executor);
    server.createContext("/peer/v1/tasks/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code file} as task {@code taskId}. */
  void serve(String taskId, Path file) {
    files.putIfAbsent(taskId, file);
  }

  /** Body bytes served so far (what takeovers read from peers). */
  long bytes() {
    return bytes.get();
  }

  long requests() {
    return requests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      requests.incrementAndGet();
      Matcher route = ROUTE.matcher(ex.getRequestURI().getPath());
      Path file = route.matches() ? files.get(route.group(1)) : null;
      if (!ex.getRequestMethod().equals("GET") || file == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      String header = ex.getRequestHeaders().getFirst("Range");
      Matcher range = header == null ? null : RANGE.matcher(header);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = ch.size();
        if (range == null || !range.matches()) {
          ex.sendResponseHeaders(416, -1);
          return;
        }
        long start = Long.parseLong(range.group(1));
        long end = Long.parseLong(range.group(2));
        if (start > end || end >= size || end - start >= Integer.MAX_VALUE) {
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start + 1));
        while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
          // read the whole range
        }
        ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
        ex.getResponseHeaders().set(ProtocolV1.HEADER_PROTOCOL, Integer.toString(ProtocolV1.VERSION));
        ex.sendResponseHeaders(206, buf.capacity());
        try (OutputStream out = ex.getResponseBody()) {
          out.write(buf.array());
        }
        bytes.addAndGet(buf.capacity());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
