package io.damselfly.testing.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real registry ({@code docker-registry serve}) as a child process on a loopback port, with its storage
 * in a directory of the test's, optionally behind htpasswd basic auth. Closing it stops the process.
 */
public final class RegistryProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private RegistryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts an open registry storing in {@code dir}. */
  public static RegistryProcess start(Path dir) throws IOException, InterruptedException {
    return start(dir, null, null);
  }

  /** Starts a registry that accepts only {@code user}/{@code password} (basic auth) when user is not null. */
  public static RegistryProcess start(Path dir, String user, String password) throws IOException, InterruptedException {
    Path binary = Tools.require("docker-registry");
    Files.createDirectories(dir);
    String auth = "";
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      String line = Tools.run(dir, 60, Tools.require("htpasswd").toString(), "-Bbn", user, password).trim();
      Files.writeString(htpasswd, line + "\n");
      auth = "auth:\n  htpasswd:\n    realm: damselfly-test\n    path: " + htpasswd + "\n";
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path config = dir.resolve("config.yml");
      Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
          + dir.resolve("storage") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + port + "\n" + auth);
      Path log = dir.resolve("registry.log");
      Process p = new ProcessBuilder(binary.toString(), "serve", config.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      RegistryProcess r = new RegistryProcess(p, port, log);
      try {
        r.awaitUp();
        return r;
      } catch (IllegalStateException e) {
        r.close();
        last = e;
      }
    }
    throw last;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, as skopeo names the registry. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  public String url() {
    return "http://" + hostPort();
  }

  private void awaitUp() throws InterruptedException {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      for (int i = 0; i < 100; i++) {
        if (!process.isAlive()) {
          throw new IllegalStateException("docker-registry exited: " + readLog());
        }
        try {
          int status = c.send(HttpRequest.newBuilder(URI.create(url() + "/v2/")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200 || status == 401) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("docker-registry did not answer on " + url() + ": " + readLog());
  }

  private String readLog() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
