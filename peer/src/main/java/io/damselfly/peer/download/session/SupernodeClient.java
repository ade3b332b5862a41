package io.damselfly.peer.download.session;

import io.damselfly.common.HostPort;
import io.damselfly.common.TaskId;
import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.protocol.ApiException;
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
import io.damselfly.transport.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to the supernodes of one download, in failover order: a supernode that cannot be reached is
 * skipped and the next one tried; {@link Unreachable} means none could be. In a supernode cluster a
 * supernode may answer {@code NOT_OWNER} naming the owner of the task: the client re-targets to it (it need
 * not be in the configured list). While an owner that just died is still named, the client keeps trying for
 * up to {@link #FAILOVER_WAIT} before giving up.
 */
public final class SupernodeClient {
  private static final Logger LOG = LoggerFactory.getLogger(SupernodeClient.class);
  private final ApiClient api;
  private final List<HostPort> nodes;
  /** How long registration keeps trying while supernodes answer but name an owner that cannot be reached. */
  static final Duration FAILOVER_WAIT = Duration.ofSeconds(30);
  /** Most NOT_OWNER answers followed in a row. */
  private static final int MAX_REDIRECTS = 3;
  private final Duration timeout;
  private final java.time.InstantSource clock;
  private int current = -1;
  private HostPort active;
  private HostPort preferred;

  public SupernodeClient(ApiClient api, List<HostPort> nodes, Duration timeout) {
    this(api, nodes, timeout, java.time.InstantSource.system());
  }

  /** @param clock what the failover deadline ({@link #FAILOVER_WAIT}) is measured by */
  public SupernodeClient(ApiClient api, List<HostPort> nodes, Duration timeout, java.time.InstantSource clock) {
    this.api = api;
    this.nodes = List.copyOf(nodes);
    this.timeout = timeout;
    this.clock = clock;
  }

  /** No supernode of the list could be reached. */
  public static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  /** A supernode answered {@code NOT_OWNER}: {@code owner} owns the task. */
  static final class Redirect extends IOException {
    final HostPort owner;

    Redirect(HostPort from, HostPort owner) {
      super("supernode " + from + " says " + owner + " owns the task");
      this.owner = owner;
    }
  }

  public HostPort node() {
    return active;
  }

  /**
   * Registers with the first reachable supernode, starting after the one last used.
   *
   * @param request the registration, given each candidate so the peer's address can match its route
   */
  public RegisterResponse register(Function<HostPort, RegisterRequest> request) throws Unreachable, InterruptedException {
    if (nodes.isEmpty()) {
      throw new Unreachable("no supernode is configured (--node or [node] address in dragonfly.conf)");
    }
    long deadline = clock.millis() + FAILOVER_WAIT.toMillis();
    while (true) {
      StringBuilder tried = new StringBuilder();
      boolean redirected = false;
      for (int i = preferred != null ? 0 : 1; i <= nodes.size(); i++) {
        int index = Math.floorMod(current + i, nodes.size());
        HostPort target = i == 0 ? preferred : nodes.get(index);
        preferred = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
          try {
            RegisterResponse r = call(target, ProtocolV1.REGISTER, request.apply(target), RegisterResponse.class);
            current = i == 0 ? current : index;
            active = target;
            return r;
          } catch (Redirect e) {
            redirected = true;
            target = e.owner;
          } catch (IOException e) {
            LOG.warn("supernode {} unreachable: {}", target, e.toString());
            tried.append(tried.isEmpty() ? "" : ", ").append(target);
            break;
          }
        }
      }
      if (!redirected || clock.millis() > deadline) {
        throw new Unreachable("no supernode could be reached (tried " + tried + ")");
      }
      Thread.sleep(500); // the cluster is still naming an owner that died; its membership will drop it
    }
  }

  /** Asks the current supernode for work; IOException means it is gone (the caller fails over). */
  ScheduleResponse schedule(TaskId task, ScheduleRequest request) throws IOException, InterruptedException {
    return call(node(), ProtocolV1.path(ProtocolV1.SCHEDULE, task.value()), request, ScheduleResponse.class);
  }

  /**
   * The digests of the task's stored pieces {@code from} and up, from the current supernode (a supernode older
   * than 1.3 lists them all: {@link PieceDigests#from()} says where the list starts).
   */
  PieceDigests pieceDigests(TaskId task, int from) throws IOException, InterruptedException {
    HostPort node = node();
    ApiClient.Answer res = api.call("GET", node.host(), node.port(), ProtocolV1.path(ProtocolV1.PIECE_DIGESTS,
        task.value()) + "?" + ProtocolV1.QUERY_FROM + "=" + from, Map.of(), null, timeout);
    if (res.status() != 200) {
      throw new IOException("supernode " + node + " answered " + res.status() + " for piece digests");
    }
    return Json.read(res.body(), PieceDigests.class);
  }

  /** Tells the current supernode this peer no longer serves {@code task}; best effort. */
  public void leave(TaskId task, String peerId) {
    if (active == null) {
      return;
    }
    try {
      HostPort node = node();
      api.call("DELETE", node.host(), node.port(), ProtocolV1.path(ProtocolV1.PEER, task.value(), peerId), Map.of(),
          null, timeout);
    } catch (IOException e) {
      LOG.debug("leaving task {} at {} failed: {}", task, node(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T call(HostPort node, String path, Object body, Class<T> type) throws IOException, InterruptedException {
    ApiClient.Answer res = api.call("POST", node.host(), node.port(), path, Map.of(), Json.write(body), timeout);
    if (res.status() / 100 == 2) {
      return Json.read(res.body(), type);
    }
    if (res.status() == 503) {
      throw new IOException("supernode " + node + " is unavailable (503)");
    }
    if (res.status() == ErrorCode.NOT_OWNER.httpStatus()) {
      throw redirect(node, res.body());
    }
    throw failure(node, res.status(), res.body());
  }

  private Redirect redirect(HostPort from, byte[] body) throws IOException {
    try {
      ErrorBody err = Json.read(body, ErrorBody.class);
      Redirect r = new Redirect(from, HostPort.parse(err.owner(), ProtocolV1.DEFAULT_API_PORT));
      preferred = r.owner;
      return r;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("supernode " + from + " answered NOT_OWNER without a usable owner", e);
    }
  }

  /**
   * A supernode's error answer as the user's failure, carrying the {@link ApiException} the supernode threw
   * (rebuilt from its body; an answer that is not an error body is {@link ErrorCode#INTERNAL}).
   */
  static DownloadFailure failure(HostPort node, int status, byte[] body) {
    ApiException answer;
    try {
      answer = ApiException.of(Json.read(body, ErrorBody.class));
    } catch (IllegalArgumentException e) {
      answer = new ApiException(ErrorCode.INTERNAL, "supernode " + node + " answered " + status);
    }
    return DownloadFailure.of(answer);
  }

  /** A failed task's error, as the user's failure. */
  static DownloadFailure failure(ErrorBody err) {
    return DownloadFailure.of(ApiException.of(err));
  }

  static URI uri(HostPort node, String path) {
    return URI.create("http://" + node.authority() + path);
  }
}
