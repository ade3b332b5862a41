package io.damselfly.peer.download;

import io.damselfly.common.HostPort;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDigests;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to the supernodes of one download, in failover order: a supernode that cannot be reached is
 * skipped and the next one tried; {@link Unreachable} means none could be.
 */
final class SupernodeClient {
  private static final Logger LOG = LoggerFactory.getLogger(SupernodeClient.class);
  private final HttpClient http;
  private final List<HostPort> nodes;
  private final Duration timeout;
  private int current = -1;

  SupernodeClient(HttpClient http, List<HostPort> nodes, Duration timeout) {
    this.http = http;
    this.nodes = List.copyOf(nodes);
    this.timeout = timeout;
  }

  /** No supernode of the list could be reached. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  HostPort node() {
    return nodes.get(current);
  }

  /**
   * Registers with the first reachable supernode, starting after the one last used.
   *
   * @param request the registration, given each candidate so the peer's address can match its route
   */
  RegisterResponse register(Function<HostPort, RegisterRequest> request) throws Unreachable, InterruptedException {
    if (nodes.isEmpty()) {
      throw new Unreachable("no supernode is configured (--node or [node] address in dragonfly.conf)");
    }
    StringBuilder tried = new StringBuilder();
    for (int i = 1; i <= nodes.size(); i++) {
      int index = Math.floorMod(current + i, nodes.size());
      HostPort node = nodes.get(index);
      try {
        RegisterResponse r = call(node, ProtocolV1.REGISTER, request.apply(node), RegisterResponse.class);
        current = index;
        return r;
      } catch (IOException e) {
        LOG.warn("supernode {} unreachable: {}", node, e.toString());
        tried.append(tried.isEmpty() ? "" : ", ").append(node);
      }
    }
    throw new Unreachable("no supernode could be reached (tried " + tried + ")");
  }

  /** Asks the current supernode for work; IOException means it is gone (the caller fails over). */
  ScheduleResponse schedule(TaskId task, ScheduleRequest request) throws IOException, InterruptedException {
    return call(node(), ProtocolV1.path(ProtocolV1.SCHEDULE, task.value()), request, ScheduleResponse.class);
  }

  /** The digests of the task's stored pieces, from the current supernode. */
  PieceDigests pieceDigests(TaskId task) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(uri(node(), ProtocolV1.path(ProtocolV1.PIECE_DIGESTS, task.value())))
        .timeout(timeout).GET().build();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IOException("supernode " + node() + " answered " + res.statusCode() + " for piece digests");
    }
    return Json.read(res.body(), PieceDigests.class);
  }

  /** Tells the current supernode this peer no longer serves {@code task}; best effort. */
  void leave(TaskId task, String peerId) {
    if (current < 0) {
      return;
    }
    try {
      HttpRequest req = HttpRequest.newBuilder(uri(node(), ProtocolV1.path(ProtocolV1.PEER, task.value(), peerId)))
          .timeout(timeout).DELETE().build();
      http.send(req, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      LOG.debug("leaving task {} at {} failed: {}", task, node(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T call(HostPort node, String path, Object body, Class<T> type) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(uri(node, path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
        .build();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() / 100 == 2) {
      return Json.read(res.body(), type);
    }
    if (res.statusCode() == 503) {
      throw new IOException("supernode " + node + " is unavailable (503)");
    }
    throw failure(node, res.statusCode(), res.body());
  }

  /** Maps a supernode error answer to the user's failure. */
  static DownloadFailure failure(HostPort node, int status, byte[] body) {
    ErrorBody err;
    try {
      err = Json.read(body, ErrorBody.class);
    } catch (IllegalArgumentException e) {
      err = new ErrorBody(ErrorCode.INTERNAL.name(), "supernode " + node + " answered " + status, 0);
    }
    return failure(err);
  }

  static DownloadFailure failure(ErrorBody err) {
    String code = err.code() == null ? "" : err.code();
    return switch (code) {
      case "ORIGIN_ERROR" -> new DownloadFailure(DfgetExit.ORIGIN_ERROR, err.message());
      case "DIGEST_MISMATCH" -> new DownloadFailure(DfgetExit.DIGEST_MISMATCH, err.message());
      case "BAD_REQUEST" -> new DownloadFailure(DfgetExit.USAGE, err.message());
      default -> new DownloadFailure(DfgetExit.FAILED, "supernode error " + code + ": " + err.message());
    };
  }

  static URI uri(HostPort node, String path) {
    return URI.create("http://" + node.authority() + path);
  }
}
