package io.damselfly.benchmarks.cluster;

import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The peer side of protocol 1.2 as the simulated peers speak it over HTTP: registration and schedule requests,
 * each answer sorted into what a real peer does next (go on, follow {@code NOT_OWNER}, fail over, give up).
 * One HTTP client for all simulated peers; its executor is owned and closed here.
 */
final class SupernodeApi implements AutoCloseable {
  /** What a peer does with an answer. */
  enum Kind {
    /** A 2xx answer: {@link Answer#body()} holds it. */
    OK,
    /** {@code 421 NOT_OWNER}: register with {@link Answer#detail()}, the owner's {@code host:port}. */
    NOT_OWNER,
    /** The supernode cannot be reached, or answered 503: try the next one. */
    GONE,
    /** The supernode does not know this peer or task (it restarted, expired it, or never owned it): register again. */
    FORGOTTEN,
    /** Any other error answer: the download fails. */
    FAILED
  }

  /** One answer; {@code detail} is the owner for NOT_OWNER, else what went wrong. */
  record Answer<T>(Kind kind, T body, String detail) {}

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final Duration timeout;
  private final Recorder recorder;

  SupernodeApi(Duration timeout, Recorder recorder) {
    this.timeout = timeout;
    this.recorder = recorder;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  Answer<RegisterResponse> register(String node, RegisterRequest request) throws InterruptedException {
    return post(node, ProtocolV1.REGISTER, request, RegisterResponse.class);
  }

  Answer<ScheduleResponse> schedule(String node, String taskId, ScheduleRequest request) throws InterruptedException {
    return post(node, ProtocolV1.path(ProtocolV1.SCHEDULE, taskId), request, ScheduleResponse.class);
  }

  private <T> Answer<T> post(String node, String path, Object body, Class<T> type) throws InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + node + path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))).build();
    HttpResponse<byte[]> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      recorder.answer(true);
      return new Answer<>(Kind.GONE, null, e.toString());
    }
    int status = res.statusCode();
    recorder.answer(status / 100 != 2 && status != ErrorCode.NOT_OWNER.httpStatus());
    if (status / 100 == 2) {
      return new Answer<>(Kind.OK, Json.read(res.body(), type), null);
    }
    if (status == 503) {
      return new Answer<>(Kind.GONE, null, "503");
    }
    ErrorBody err;
    try {
      err = Json.read(res.body(), ErrorBody.class);
    } catch (IllegalArgumentException e) {
      return new Answer<>(Kind.FAILED, null, "HTTP " + status);
    }
    ErrorCode code = err.code();
    if (code == ErrorCode.NOT_OWNER && err.owner() != null) {
      return new Answer<>(Kind.NOT_OWNER, null, err.owner());
    }
    if (code == ErrorCode.PEER_NOT_FOUND || code == ErrorCode.TASK_NOT_FOUND) {
      return new Answer<>(Kind.FORGOTTEN, null, code.name());
    }
    return new Answer<>(Kind.FAILED, null, "HTTP " + status + " " + code + ": " + err.message());
  }

  @Override
  public void close() {
    http.close();
    executor.close();
  }
}
