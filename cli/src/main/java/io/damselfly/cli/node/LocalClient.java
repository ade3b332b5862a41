package io.damselfly.cli.node;

import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * dfget's side of a peer node's loopback local API, written with the JDK alone (a socket, {@link LocalJson}):
 * asks which node answers on a port and runs a download. With a progress consumer the node streams NDJSON
 * progress events; without one it is asked for the final event only ({@code ?progress=none}), so nothing is sent
 * or parsed while the download runs. {@link #cancel()} (Ctrl-C) closes the connection, which makes the node
 * cancel the download and remove its temporary file.
 */
public final class LocalClient implements AutoCloseable {
  /**
   * How long a node may take to answer a ping. Nothing listening is refused at once on loopback; only a node
   * that accepted but is slow (a dfdaemon on a loaded host) makes dfget wait, and it is worth waiting for.
   */
  static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
  /** Pings sent before a node that accepts but does not answer is given up. */
  static final int PING_ATTEMPTS = 2;
  /** How long a node may take to accept a download and answer with the head of its stream. */
  private static final Duration DOWNLOAD_HEAD_TIMEOUT = Duration.ofSeconds(30);
  private final Duration pingTimeout;
  private volatile LocalHttp running;
  private volatile boolean cancelled;

  public LocalClient() {
    this(PING_TIMEOUT);
  }

  LocalClient(Duration pingTimeout) {
    this.pingTimeout = pingTimeout;
  }

  /**
   * The node answering {@code GET /local/v1/node} on {@code 127.0.0.1:port}, if any. A ping that times out
   * is sent again (a loaded node is slow, not absent); a refused connection or any other error is final.
   */
  public Optional<NodeInfo> node(int port) {
    for (int attempt = 1; ; attempt++) {
      try (LocalHttp h = LocalHttp.exchange(port, "GET", ProtocolV1.LOCAL_NODE, null, pingTimeout)) {
        return h.status() == 200 ? Optional.of(LocalJson.nodeInfo(h.readAll())) : Optional.empty();
      } catch (SocketTimeoutException e) {
        if (attempt >= PING_ATTEMPTS) {
          return Optional.empty();
        }
      } catch (IOException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Runs {@code request} on the node whose local API listens on {@code port} and returns the final {@code done}
   * or {@code error} event; passes each progress event to {@code progress}, or, when it is null, asks the node
   * for none.
   */
  public ProgressEvent download(int port, DownloadRequest request, Consumer<ProgressEvent> progress) {
    String path = ProtocolV1.LOCAL_DOWNLOADS + (progress == null ? "?" + ProtocolV1.LOCAL_PROGRESS + "="
        + ProtocolV1.LOCAL_PROGRESS_NONE : "");
    byte[] body = LocalJson.write(request).getBytes(StandardCharsets.UTF_8);
    LocalHttp h;
    try {
      h = LocalHttp.exchange(port, "POST", path, body, DOWNLOAD_HEAD_TIMEOUT);
    } catch (IOException e) {
      return cancelled ? interrupted() : failure(DfgetExit.FAILED, "cannot reach the peer node on 127.0.0.1:" + port
          + ": " + e);
    }
    running = h;
    try (h) {
      if (cancelled) {
        return interrupted();
      }
      if (h.status() != 200) {
        return refused(h.status(), h.readAll());
      }
      h.untimed();
      for (String line = h.readLine(); line != null; line = h.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        ProgressEvent e = LocalJson.event(line);
        if (e.last()) {
          return e;
        }
        if (progress != null) {
          progress.accept(e);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      if (!cancelled) {
        return failure(DfgetExit.FAILED, "the peer node's progress stream broke: " + e.getMessage());
      }
    } finally {
      running = null;
    }
    return cancelled ? interrupted() : failure(DfgetExit.FAILED, "the peer node ended the download without a result");
  }

  /** Aborts a running {@link #download}: the connection closes and the node cancels the download. */
  public void cancel() {
    cancelled = true;
    LocalHttp h = running;
    if (h != null) {
      h.close();
    }
  }

  public boolean cancelled() {
    return cancelled;
  }

  @Override
  public void close() {
    LocalHttp h = running;
    if (h != null) {
      h.close();
    }
  }

  /** A final event for a failure on dfget's side. */
  public static ProgressEvent failure(DfgetExit exit, String message) {
    return new ProgressEvent(ProgressEvent.Type.ERROR, null, -1, 0, 0, 0, 0, 0, message, exit.code());
  }

  static ProgressEvent interrupted() {
    return failure(DfgetExit.INTERRUPTED, "interrupted; the download was cancelled");
  }

  private static ProgressEvent refused(int status, String body) {
    String message;
    try {
      message = LocalJson.string(LocalJson.object(body), "message");
    } catch (IllegalArgumentException e) {
      message = null;
    }
    if (message == null) {
      message = body.isBlank() ? "HTTP " + status : body;
    }
    return failure(status == 400 ? DfgetExit.USAGE : DfgetExit.FAILED, "the peer node refused the download: " + message);
  }
}
