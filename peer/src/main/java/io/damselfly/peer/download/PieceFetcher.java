package io.damselfly.peer.download;

import io.damselfly.common.ByteRange;
import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Fetches one piece from one source with a Range request into a caller's buffer and verifies its
 * SHA-256 there, before a byte of it reaches the disk.
 */
final class PieceFetcher {
  private final HttpClient http;
  private final Watchdog watchdog;
  private final Duration timeout;
  private final String peerId;
  private final PieceListener listener;
  private final ClusterHttp cluster;

  PieceFetcher(HttpClient http, Watchdog watchdog, Duration timeout, String peerId) {
    this(http, watchdog, timeout, peerId, PieceListener.NONE);
  }

  PieceFetcher(HttpClient http, Watchdog watchdog, Duration timeout, String peerId, PieceListener listener) {
    this(ClusterHttp.plain(http), watchdog, timeout, peerId, listener);
  }

  PieceFetcher(ClusterHttp cluster, Watchdog watchdog, Duration timeout, String peerId, PieceListener listener) {
    this.http = cluster.client();
    this.cluster = cluster;
    this.watchdog = watchdog;
    this.timeout = timeout;
    this.peerId = peerId;
    this.listener = listener;
  }

  /** Why a fetch from one source failed, in the scheduler's terms. */
  static final class Failed extends Exception {
    final FailureReason reason;

    Failed(FailureReason reason, String detail) {
      super(detail);
      this.reason = reason;
    }
  }

  /** Fills {@code buffer[0, a.length())} with the verified piece. */
  void fetch(TaskId task, Assignment a, Source source, byte[] buffer, Throttles.Gate gate)
      throws Failed, InterruptedException {
    long start = System.nanoTime();
    try {
      fetchVerified(task, a, source, buffer, gate);
    } catch (Failed f) {
      listener.failed(source.isCdn(), f.reason);
      throw f;
    }
    listener.fetched(source.isCdn(), a.length(), System.nanoTime() - start);
  }

  private void fetchVerified(TaskId task, Assignment a, Source source, byte[] buffer, Throttles.Gate gate)
      throws Failed, InterruptedException {
    ByteRange range = new ByteRange(a.offset(), a.length());
    HttpRequest req = cluster.request(hostPort(source), ProtocolV1.path(ProtocolV1.FILE, task.value())).timeout(timeout)
        .header("Range", range.toRangeHeader())
        .header(ProtocolV1.HEADER_PEER_ID, peerId)
        .GET().build();
    try (Watchdog.Guard guard = watchdog.guard(timeout)) {
      try {
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
          if (res.statusCode() != 206) {
            throw new Failed(FailureReason.HTTP_ERROR, source.peerId() + " answered " + res.statusCode());
          }
          read(in, buffer, a.length(), gate, source);
        }
      } catch (InterruptedException | IOException e) {
        if (guard.fired()) {
          throw new Failed(FailureReason.TIMEOUT, "no piece from " + source.peerId() + " within " + timeout);
        }
        if (e instanceof InterruptedException ie) {
          throw ie;
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("cancelled");
        }
        throw new Failed(reason((IOException) e), source.peerId() + ": " + e);
      }
    }
    Digest got = Digest.of(Digest.Algorithm.SHA256, buffer, 0, a.length());
    if (!got.toString().equals(a.digest())) {
      throw new Failed(FailureReason.DIGEST_MISMATCH,
          "piece " + a.piece() + " from " + source.peerId() + " has " + got + ", expected " + a.digest());
    }
  }

  private static void read(InputStream in, byte[] buffer, int length, Throttles.Gate gate, Source source)
      throws IOException, InterruptedException, Failed {
    int at = 0;
    while (at < length) {
      int n = in.read(buffer, at, Math.min(Throttle.CHUNK, length - at));
      if (n < 0) {
        throw new Failed(FailureReason.IO, source.peerId() + " sent " + at + " of " + length + " bytes");
      }
      gate.pass(n);
      at += n;
    }
    if (in.read() >= 0) {
      throw new Failed(FailureReason.HTTP_ERROR, source.peerId() + " sent more than the " + length + " bytes asked");
    }
  }

  private static FailureReason reason(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return FailureReason.TIMEOUT;
    }
    if (e instanceof ConnectException) {
      return FailureReason.CONNECT;
    }
    return FailureReason.IO;
  }

  private static String hostPort(Source s) {
    return s.host().contains(":") ? "[" + s.host() + "]:" + s.port() : s.host() + ":" + s.port();
  }

}
