package io.damselfly.cli.node;

import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * dfget's side of a peer node's loopback local API: asks which node answers on a port and runs a download
 * by reading its NDJSON progress stream. {@link #cancel()} (Ctrl-C) closes the connection, which makes the
 * node cancel the download and remove its temporary file.
 */
public final class LocalClient implements AutoCloseable {
  /**
   * How long a node may take to answer a ping. Nothing listening is refused at once on loopback; only a node
   * that accepted but is slow (a dfdaemon on a loaded host) makes dfget wait, and it is worth waiting for.
   */
  static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
  /** Pings sent before a node that accepts but does not answer is given up. */
  static final int PING_ATTEMPTS = 2;
  private final Duration pingTimeout;
  private final HttpClient http;
  private volatile boolean cancelled;

  public LocalClient() {
    this(PING_TIMEOUT);
  }

  LocalClient(Duration pingTimeout) {
    this.pingTimeout = pingTimeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(pingTimeout).build();
  }

  /**
   * The node answering {@code GET /local/v1/node} on {@code 127.0.0.1:port}, if any. A ping that times out
   * is sent again (a loaded node is slow, not absent); a refused connection or any other error is final.
   */
  public Optional<NodeInfo> node(int port) {
    HttpRequest req = HttpRequest.newBuilder(uri(port, ProtocolV1.LOCAL_NODE)).timeout(pingTimeout).GET().build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        return resp.statusCode() == 200 ? Optional.of(Json.read(resp.body(), NodeInfo.class)) : Optional.empty();
      } catch (HttpTimeoutException e) {
        if (attempt >= PING_ATTEMPTS) {
          return Optional.empty();
        }
      } catch (IOException | IllegalArgumentException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /**
   * Runs {@code request} on the node whose local API listens on {@code port}; passes each progress event
   * to {@code progress} and returns the final {@code done} or {@code error} event.
   */
  public ProgressEvent download(int port, DownloadRequest request, Consumer<ProgressEvent> progress) {
    HttpRequest req = HttpRequest.newBuilder(uri(port, ProtocolV1.LOCAL_DOWNLOADS))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(request))).build();
    HttpResponse<Stream<String>> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      return cancelled ? interrupted() : failure(DfgetExit.FAILED, "cannot reach the peer node on 127.0.0.1:" + port
          + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return interrupted();
    }
    try (Stream<String> lines = resp.body()) {
      if (resp.statusCode() != 200) {
        return refused(resp.statusCode(), lines.collect(Collectors.joining("\n")));
      }
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isBlank()) {
          continue;
        }
        ProgressEvent e = Json.read(line.getBytes(StandardCharsets.UTF_8), ProgressEvent.class);
        if (ProgressEvent.DONE.equals(e.type()) || ProgressEvent.ERROR.equals(e.type())) {
          return e;
        }
        progress.accept(e);
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      if (!cancelled) {
        return failure(DfgetExit.FAILED, "the peer node's progress stream broke: " + e.getMessage());
      }
    }
    return cancelled ? interrupted() : failure(DfgetExit.FAILED, "the peer node ended the download without a result");
  }

  /** Aborts a running {@link #download}: the connection closes and the node cancels the download. */
  public void cancel() {
    cancelled = true;
    http.shutdownNow();
  }

  public boolean cancelled() {
    return cancelled;
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  /** A final event for a failure on dfget's side. */
  public static ProgressEvent failure(DfgetExit exit, String message) {
    return new ProgressEvent(ProgressEvent.ERROR, null, -1, 0, 0, 0, 0, 0, message, exit.code());
  }

  static ProgressEvent interrupted() {
    return failure(DfgetExit.INTERRUPTED, "interrupted; the download was cancelled");
  }

  private static ProgressEvent refused(int status, String body) {
    String message;
    try {
      message = Json.read(body.getBytes(StandardCharsets.UTF_8), ErrorBody.class).message();
    } catch (IllegalArgumentException e) {
      message = body.isBlank() ? "HTTP " + status : body;
    }
    return failure(status == 400 ? DfgetExit.USAGE : DfgetExit.FAILED, "the peer node refused the download: " + message);
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
