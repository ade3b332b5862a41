package io.damselfly.supernode.preheat;

import io.damselfly.common.HostPort;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.transport.ClusterAccess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Warms one file in the CDN of the supernode that owns it, over the peer API like any peer: registers a
 * peer that uploads nothing (following {@code NOT_OWNER} to the owner), waits until the owner's copy is
 * complete, then leaves. Registering with the content digest makes the task the one pulls will use.
 */
final class CdnWarmer {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 200;
  private static final int MAX_REDIRECTS = 3;

  private final HttpClient http;
  private final ClusterAccess access;
  private final java.util.function.Supplier<String> self;
  private final Duration deadline;

  /**
   * @param self {@code host:port} of this supernode's API
   * @param deadline how long one file may take
   */
  CdnWarmer(HttpClient http, ClusterAccess access, java.util.function.Supplier<String> self, Duration deadline) {
    this.http = http;
    this.access = access;
    this.self = self;
    this.deadline = deadline;
  }

  /** Returns the task id once the owner holds the whole file; throws with the reason otherwise. */
  String warm(String url, Map<String, List<String>> headers, String digest, String peerId)
      throws IOException, InterruptedException {
    RegisterRequest req = new RegisterRequest(url, headers, null, List.of(), digest,
        new PeerAddress(peerId, "127.0.0.1", 0));
    String node = self.get();
    for (int hop = 0; ; hop++) {
      HttpResponse<byte[]> r = send(access.request(access.uri(node, ProtocolV1.REGISTER))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(req))));
      if (r.statusCode() == ErrorCode.NOT_OWNER.httpStatus() && hop < MAX_REDIRECTS) {
        node = HostPort.parse(error(r).owner(), ProtocolV1.DEFAULT_API_PORT).authority();
        continue;
      }
      if (r.statusCode() != 200) {
        throw new IOException(describe(url, r));
      }
      String taskId = Json.read(r.body(), RegisterResponse.class).taskId();
      try {
        awaitComplete(node, taskId, url);
      } finally {
        send(access.request(access.uri(node, ProtocolV1.path(ProtocolV1.PEER, taskId, peerId))).DELETE());
      }
      return taskId;
    }
  }

  private void awaitComplete(String node, String taskId, String url) throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() - end < 0) {
      HttpResponse<byte[]> r = send(access.request(access.uri(node, ProtocolV1.path(ProtocolV1.TASK, taskId))).GET());
      if (r.statusCode() != 200) {
        throw new IOException(describe(url, r));
      }
      TaskView v = Json.read(r.body(), TaskView.class);
      if (v.status() == TaskStatus.SUCCESS) {
        return;
      }
      if (v.status() == TaskStatus.FAILED) {
        throw new IOException("fetching " + url + " failed: " + v.error());
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IOException("fetching " + url + " did not finish within " + deadline.toSeconds() + " s");
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return http.send(b.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ErrorBody error(HttpResponse<byte[]> r) {
    try {
      return Json.read(r.body(), ErrorBody.class);
    } catch (IllegalArgumentException e) {
      return new ErrorBody(ErrorCode.INTERNAL, "HTTP " + r.statusCode(), 0);
    }
  }

  private static String describe(String url, HttpResponse<byte[]> r) {
    ErrorBody e = error(r);
    return "fetching " + url + " failed: " + e.code() + " " + e.message()
        + (e.originStatus() > 0 ? " (origin status " + e.originStatus() + ")" : "");
  }
}
