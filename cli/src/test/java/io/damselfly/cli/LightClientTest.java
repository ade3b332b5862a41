package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.cli.node.NodeSpawner;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dfget handing a download to a running node is a light client: it loads none of the library stacks the node
 * uses (Netty, Jackson, Logback/SLF4J, the JDK's HTTP client, the peer and transport modules), nor picocli for
 * plain flags ({@link FastFlags}), and asks for progress only when it draws a bar.
 */
class LightClientTest {
  /** Packages a hand-over must not load, as they appear in {@code -Xlog:class+load} lines. */
  private static final Pattern HEAVY = Pattern.compile(
      "\\] (io\\.netty|com\\.fasterxml\\.jackson|ch\\.qos\\.logback|org\\.slf4j|java\\.net\\.http|jdk\\.internal\\.net\\.http"
          + "|io\\.damselfly\\.peer|io\\.damselfly\\.transport|picocli)\\.");
  private static final int SIZE = 1 << 20;
  @TempDir Path dir;
  Path home;
  Path file;
  OriginServer origin;
  PeerNode node;

  @BeforeEach
  void setUp() throws IOException {
    home = dir.resolve("home");
    file = dir.resolve("origin.bin");
    TestFiles.write(file, SIZE, 5);
    origin = OriginServer.start().serve("/f.bin", file);
    // the home's running node, found by dfget through node.json
    node = PeerNode.start(NodeConfig.defaults(home).withKeepAlive(Duration.ZERO), InstantSource.system());
  }

  @AfterEach
  void tearDown() {
    node.close();
    origin.close();
  }

  @Test
  void aHandOverLoadsNoLibraryStack() throws Exception {
    Path out = dir.resolve("plain.bin");
    Path classes = dir.resolve("classes-plain.txt");

    int code = dfget(classes, "-u", origin.url("/f.bin"), "-o", out.toString());

    assertThat(code).as(read("stderr.txt")).isZero();
    assertThat(Files.mismatch(out, file)).isEqualTo(-1);
    assertThat(read("stdout.txt")).startsWith("dfget: downloaded 1.0 MiB");
    assertLight(classes);
    assertThat(Files.readString(home.resolve("logs/dfget.log"))).contains("download goes to the dfget-server node")
        .contains("dfget: downloaded 1.0 MiB");
  }

  @Test
  void aHandOverWithABarOrForDfdaemonLoadsNoLibraryStackEither() throws Exception {
    origin.fault("/f.bin", OriginServer.Fault.throttle(1 << 20)); // about a second: several progress lines
    Path out = dir.resolve("bar.bin");
    Path classes = dir.resolve("classes-bar.txt");

    int code = dfget(classes, "-u", origin.url("/f.bin"), "-o", out.toString(), "--showbar");

    assertThat(code).as(read("stderr.txt")).isZero();
    assertThat(read("stderr.txt")).contains("\r[").contains("] 100% 1.0 MiB/1.0 MiB");
    assertLight(classes);

    Path machine = dir.resolve("machine.bin");
    assertThat(dfget(dir.resolve("classes-machine.txt"), "-u", origin.url("/f.bin"), "-o", machine.toString(),
        "--dfdaemon")).as(read("stderr.txt")).isZero();
    assertThat(read("stdout.txt")).startsWith("{\"type\":\"done\"").contains("\"totalBytes\":" + SIZE);
    assertLight(dir.resolve("classes-machine.txt"));
  }

  @Test
  void withoutProgressTheNodeSendsTheFinalEventOnly() throws Exception {
    origin.fault("/f.bin", OriginServer.Fault.throttle(1 << 20));
    DownloadRequest req = DownloadRequest.builder(origin.url("/f.bin"), dir.resolve("quiet.bin").toString())
        .pattern(DownloadRequest.Pattern.SOURCE).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> quiet = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.localPort()
          + ProtocolV1.LOCAL_DOWNLOADS + "?" + ProtocolV1.LOCAL_PROGRESS + "=" + ProtocolV1.LOCAL_PROGRESS_NONE))
          .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(req))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(quiet.body().strip().lines().toList()).singleElement().asString().startsWith("{\"type\":\"done\"");
    }
  }

  private void assertLight(Path classes) throws IOException {
    List<String> lines = Files.readAllLines(classes);
    assertThat(lines).as("the class-load log").anyMatch(l -> l.contains("io.damselfly.cli.node.LocalClient"));
    assertThat(lines).filteredOn(l -> HEAVY.matcher(l).find()).as("classes of library stacks").isEmpty();
  }

  /** dfget in its own JVM, with every class it loads written to {@code classes}; returns its exit code. */
  private int dfget(Path classes, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(NodeSpawner.thisJava(), "-Xlog:class+load=info:file=" + classes,
        "-cp", System.getProperty("java.class.path"), DfgetMain.class.getName(), "--no-daemon"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().put(CliEnv.HOME_VARIABLE, home.toString());
    pb.environment().put(CliEnv.CONF_VARIABLE, dir.resolve("none.conf").toString());
    return pb.start().waitFor();
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }
}
