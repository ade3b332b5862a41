package io.damselfly.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian package) on a free loopback port, without persistence, its files in a
 * directory of the caller's; stopped by its PID on {@link #close}. A missing binary fails the test and says
 * how to install it.
 */
public final class RedisProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a server storing nothing on disk, working in {@code dir}. */
  public static RedisProcess start(Path dir) throws IOException, InterruptedException {
    Path binary = io.damselfly.testing.registry.Tools.require("redis-server");
    Files.createDirectories(dir);
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Process p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no")
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
      RedisProcess r = new RedisProcess(p, port);
      if (r.awaitUp()) {
        return r;
      }
      r.close();
      last = new IllegalStateException("redis-server did not start on port " + port + "; see " + dir);
    }
    throw last;
  }

  private boolean awaitUp() throws InterruptedException {
    for (int i = 0; i < 100 && process.isAlive(); i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] answer = s.getInputStream().readNBytes(7);
        if (new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return true;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    return false;
  }

  public int port() {
    return port;
  }

  /** The {@code --store} value for this server. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
