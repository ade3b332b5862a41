package io.damselfly.e2e;

import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskView;
import io.damselfly.transport.ClusterAccess;
import io.damselfly.transport.Tls;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A supernode jar running on random loopback ports, and a client for its task statistics. */
public final class SupernodeProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("supernode ready api=(\\d+) pieces=(\\d+)");
  private static final Duration START_LIMIT = Duration.ofMinutes(2);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  private final Proc proc;
  private final int apiPort;
  private final int piecePort;
  private final ClusterAccess access;
  private final HttpClient http;

  private SupernodeProcess(Proc proc, int apiPort, int piecePort, ClusterAccess access) {
    this.proc = proc;
    this.apiPort = apiPort;
    this.piecePort = piecePort;
    this.access = access;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(API_TIMEOUT);
    if (access.tls() != null) {
      b.sslContext(Tls.client(access.tls()));
    }
    this.http = b.build();
  }

  /**
   * Flags for a supernode that cuts files into 256 KiB pieces instead of its 4 MiB default: for tests whose
   * faults need many pieces of a small file (a disk that fills up after 2 MiB, a peer that dies mid-file).
   */
  public static final List<String> SMALL_PIECES = List.of("--min-piece-size", "256K");

  /** {@link #SMALL_PIECES} followed by {@code more} flags. */
  public static List<String> smallPieces(String... more) {
    List<String> flags = new ArrayList<>(SMALL_PIECES);
    flags.addAll(List.of(more));
    return flags;
  }

  /**
   * Starts {@code jar} with its home in {@code home} and waits for its ready line.
   *
   * @param extraArgs further flags, e.g. {@code --max-uploads-per-peer 2}
   */
  public static SupernodeProcess start(Path jar, Path home, Path logDir, List<String> extraArgs)
      throws IOException, InterruptedException {
    return start(jar, home, logDir, List.of(), extraArgs);
  }

  /** As {@link #start(Path, Path, Path, List)}, with JVM options such as {@code -Xmx128m}. */
  public static SupernodeProcess start(Path jar, Path home, Path logDir, List<String> jvmOptions,
      List<String> extraArgs) throws IOException, InterruptedException {
    return start(jar, home, logDir, jvmOptions, extraArgs, ClusterAccess.NONE);
  }

  /**
   * As {@link #start(Path, Path, Path, List, List)} in a cluster that requires {@code access}: the supernode
   * gets its secret and TLS files as flags, and this object's statistics client uses them too.
   */
  public static SupernodeProcess start(Path jar, Path home, Path logDir, List<String> jvmOptions,
      List<String> extraArgs, ClusterAccess access) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--download-port", "0",
        "--bind", "127.0.0.1", "--home", home.toString()));
    args.addAll(accessFlags(access));
    args.addAll(extraArgs);
    Proc.Ready ready =
        Proc.startReady(Launch.jar("supernode", jar, jvmOptions, args, Map.of(), logDir), READY, START_LIMIT);
    Matcher m = ready.line();
    return new SupernodeProcess(ready.proc(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), access);
  }

  /** The command-line flags that give a supernode or dfdaemon {@code access}. */
  public static List<String> accessFlags(ClusterAccess access) {
    List<String> flags = new ArrayList<>();
    if (access.secret() != null) {
      flags.addAll(List.of("--cluster-secret", access.secret()));
    }
    if (access.tls() != null) {
      flags.addAll(List.of("--tls-cert", access.tls().cert().toString(), "--tls-key", access.tls().key().toString()));
      if (access.tls().ca() != null) {
        flags.addAll(List.of("--tls-ca", access.tls().ca().toString()));
      }
    }
    return flags;
  }

  public int apiPort() {
    return apiPort;
  }

  public int piecePort() {
    return piecePort;
  }

  /** The value for dfget's {@code --node}. */
  public String node() {
    return "127.0.0.1:" + apiPort;
  }

  public Proc proc() {
    return proc;
  }

  /** {@code GET /api/v1/tasks}. */
  public List<TaskView> tasks() throws IOException, InterruptedException {
    HttpRequest req = access.request(access.uri(node(), ProtocolV1.TASKS)).timeout(API_TIMEOUT).GET().build();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IOException("GET " + ProtocolV1.TASKS + " answered " + res.statusCode() + ": "
          + new String(res.body(), StandardCharsets.UTF_8));
    }
    return Arrays.asList(Json.read(res.body(), TaskView[].class));
  }

  /** The task downloading {@code url}, if the supernode has one. */
  public Optional<TaskView> taskFor(String url) throws IOException, InterruptedException {
    return tasks().stream().filter(t -> url.equals(t.url())).findFirst();
  }

  /**
   * The value of one Prometheus sample of {@code GET /metrics}: {@code sample} is its name with labels as
   * printed, e.g. {@code damselfly_cdn_repairs_total{outcome="repaired"}}; 0 when absent.
   */
  public double metric(String sample) throws IOException, InterruptedException {
    HttpRequest req = access.request(access.uri(node(), ProtocolV1.METRICS)).timeout(API_TIMEOUT).GET().build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IOException("GET " + ProtocolV1.METRICS + " answered " + res.statusCode());
    }
    return res.body().lines().filter(l -> l.startsWith(sample + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(sample.length() + 1).trim())).orElse(0.0);
  }

  @Override
  public void close() {
    http.close();
    proc.close();
  }
}
