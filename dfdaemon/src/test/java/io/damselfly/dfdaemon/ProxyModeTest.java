package io.damselfly.dfdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as HTTP_PROXY: curl through it; rules decide P2P or direct; CONNECT tunnels. */
class ProxyModeTest {
  @TempDir
  Path dir;

  @Test
  void ruleMatchedUrlsComeOverP2pOthersPassThroughAndConnectTunnels() throws Exception {
    Path big = Files.write(dir.resolve("big.bin"), TestFiles.bytes(3_000_000, 5));
    Path small = Files.write(dir.resolve("small.txt"), "plain text\n".getBytes());
    try (OriginServer origin = OriginServer.start();
        Cluster cluster = new Cluster(dir);
        HttpClient http = HttpClient.newHttpClient()) {
      origin.serve("/big.bin", big).serve("/small.txt", small);
      Dfdaemon d = cluster.daemon("d", c -> c.withProxies(List.of(ProxyRule.of("\\.bin$", false)), List.of()));
      String proxy = "http://127.0.0.1:" + d.port();

      byte[] got = curl("-s", "-x", proxy, origin.url("/big.bin"));
      assertThat(got).isEqualTo(Files.readAllBytes(big));
      String tasks = new String(http.send(HttpRequest.newBuilder(URI.create(
          "http://" + cluster.supernodeAddress() + "/api/v1/tasks")).build(), HttpResponse.BodyHandlers.ofString()).body());
      TaskView[] views = Json.read(tasks.getBytes(), TaskView[].class);
      assertThat(Arrays.stream(views).map(TaskView::url)).contains(origin.url("/big.bin"));
      assertThat(Arrays.stream(views).map(TaskView::url)).doesNotContain(origin.url("/small.txt"));

      byte[] ranged = curl("-s", "-x", proxy, "-r", "1000-1999", origin.url("/big.bin"));
      assertThat(ranged).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(big), 1000, 2000));

      assertThat(new String(curl("-s", "-x", proxy, origin.url("/small.txt")))).isEqualTo("plain text\n");
      assertThat(new String(curl("-s", "-p", "-x", proxy, origin.url("/small.txt")))).isEqualTo("plain text\n");
      assertThat(origin.requests("/small.txt")).isEqualTo(2);
      assertThat(origin.bodyBytes("/big.bin")).as("the origin sent the big file once").isEqualTo(Files.size(big));

      NodeInfo info = Json.read(http.send(HttpRequest.newBuilder(URI.create(proxy + "/local/v1/node")).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body(), NodeInfo.class);
      assertThat(info.kind()).isEqualTo("dfdaemon");
      assertThat(info.uploadPort()).isEqualTo(d.uploadPort());
    }
  }

  static byte[] curl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "60"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var in = p.getInputStream()) {
      in.transferTo(out);
    }
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("curl did not finish");
    }
    assertThat(p.exitValue()).as("curl exit code for %s", List.of(args)).isZero();
    return out.toByteArray();
  }
}
