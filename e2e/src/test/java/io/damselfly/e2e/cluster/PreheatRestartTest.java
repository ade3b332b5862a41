package io.damselfly.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.Json;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.RedisProcess;
import io.damselfly.testing.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preheat jobs live in the supernode's store: a restarted supernode process answers for the jobs it ran (the
 * memory store keeps them in its data directory, Redis in the server), and runs again a job it was killed in
 * the middle of.
 */
class PreheatRestartTest {
  private static final long SIZE = 8L << 20;
  private static final Duration GUARD = Duration.ofMinutes(2);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aFinishedAndAKilledJobSurviveARestartOnTheMemoryStore() throws Exception {
    Path file = dir.resolve("f.bin");
    TestFiles.write(file, SIZE, 71);
    Path slow = dir.resolve("slow.bin");
    TestFiles.write(slow, SIZE, 72);
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file).serve("/slow.bin", slow)
            .fault("/slow.bin", OriginServer.Fault.throttle(512 << 10));
        Sandbox sandbox = Sandbox.in(dir.resolve("run"))) {
      Path home = sandbox.home("supernode");
      String done;
      String killed;
      try (SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), home, sandbox.dir("logs-1"), List.of())) {
        done = preheat(sn, origin.url("/f.bin"));
        assertThat(await(sn, done, "SUCCESS").get("status").asText()).isEqualTo("SUCCESS");
        killed = preheat(sn, origin.url("/slow.bin"));
        await(sn, killed, "RUNNING");
        ProcessHandle.of(sn.proc().pid()).ifPresent(p -> { // SIGKILL in the middle of the slow file
          p.destroyForcibly();
          p.onExit().join();
        });
      }
      origin.fault("/slow.bin", OriginServer.Fault.NONE);
      try (SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), home, sandbox.dir("logs-2"), List.of())) {
        JsonNode first = status(sn, done);
        assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("SUCCESS");
        assertThat(first.get("finishTime").asText()).isNotEmpty();
        JsonNode again = await(sn, killed, "SUCCESS");
        assertThat(again.get("status").asText()).as("run again after the restart: %s", again).isEqualTo("SUCCESS");
        assertThat(sn.taskFor(origin.url("/slow.bin")).orElseThrow().piecesStored()).isPositive();
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aJobIsKeptInRedisForASupernodeThatStartsOnAnEmptyDisk() throws Exception {
    Path file = dir.resolve("f.bin");
    TestFiles.write(file, SIZE, 73);
    try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
        OriginServer origin = OriginServer.start().serve("/f.bin", file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"))) {
      List<String> store = List.of("--store", redis.uri());
      String id;
      try (SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("first"), sandbox.dir("logs-1"),
          store)) {
        id = preheat(sn, origin.url("/f.bin"));
        assertThat(await(sn, id, "SUCCESS").get("status").asText()).isEqualTo("SUCCESS");
      }
      try (SupernodeProcess sn = SupernodeProcess.start(Jars.supernode(), sandbox.home("second"),
          sandbox.dir("logs-2"), store)) {
        JsonNode kept = status(sn, id);
        assertThat(kept.get("status").asText()).as(kept.toString()).isEqualTo("SUCCESS");
        assertThat(kept.get("ID").asText()).isEqualTo(id);
      }
    }
  }

  private String preheat(SupernodeProcess sn, String url) throws Exception {
    HttpResponse<String> r = send(sn, "POST", "/preheats", Json.writeString(Map.of("type", "file", "url", url)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body()).get("ID").asText();
  }

  private JsonNode status(SupernodeProcess sn, String id) throws Exception {
    HttpResponse<String> r = send(sn, "GET", "/preheats/" + id, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  /** The job's status once it is {@code state} (or FAILED); bounded by {@link #GUARD}. */
  private JsonNode await(SupernodeProcess sn, String id, String state) throws Exception {
    long end = System.nanoTime() + GUARD.toNanos();
    while (true) {
      JsonNode s = status(sn, id);
      String now = s.get("status").asText();
      if (now.equals(state) || now.equals("FAILED") || System.nanoTime() > end) {
        return s;
      }
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> send(SupernodeProcess sn, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + sn.node() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
