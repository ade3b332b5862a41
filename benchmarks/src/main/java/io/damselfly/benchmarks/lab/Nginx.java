package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Host;
import io.damselfly.benchmarks.net.Procs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An nginx origin of its own (config, logs and temp files under one directory) serving one directory on
 * one host; its access log gives the body bytes it sent.
 */
public final class Nginx {
  /** The origin's well-known port. */
  static final int PORT = 8080;
  private final String endpoint;
  private final Path accessLog;

  private Nginx(String endpoint, Path accessLog) {
    this.endpoint = endpoint;
    this.accessLog = accessLog;
  }

  /**
   * Starts nginx on {@code host} serving {@code root}, with run files under {@code dir}.
   *
   * @param limitRate bytes per second per connection (nginx's own limit_rate), 0 for none
   */
  static Nginx start(Host host, Path root, Path dir, long limitRate, Procs procs) throws IOException {
    return start(host, host.port(PORT), root, dir, limitRate, procs);
  }

  /** Starts nginx on {@code host} listening on {@code port}; see {@link #start(Host, Path, Path, long, Procs)}. */
  public static Nginx start(Host host, int port, Path root, Path dir, long limitRate, Procs procs)
      throws IOException {
    Path run = Files.createDirectories(dir.toAbsolutePath());
    Files.createDirectories(run.resolve("tmp"));
    Path access = run.resolve("access.log");
    Files.deleteIfExists(access);
    Path conf = run.resolve("nginx.conf");
    String endpoint = host.address() + ":" + port;
    Files.writeString(conf, config(endpoint, root.toAbsolutePath(), run, limitRate));
    procs.start(host.command(List.of("nginx", "-p", run.toString(), "-c", conf.toString(), "-e",
        run.resolve("error.log").toString())), run.resolve("nginx.out"), Map.of());
    host.awaitPort(host.address(), port, 20);
    return new Nginx(endpoint, access);
  }

  private static String config(String endpoint, Path root, Path run, long limitRate) {
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String tmp = run.resolve("tmp").toString();
    return user + """
        worker_processes 1;
        daemon off;
        pid %1$s/nginx.pid;
        events { worker_connections 1024; }
        http {
          log_format lab '$request_uri $status $body_bytes_sent';
          access_log %1$s/access.log lab;
          sendfile on;
          tcp_nopush on;
          keepalive_timeout 30s;
          client_body_temp_path %2$s/body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;
          default_type application/octet-stream;
          server {
            listen %3$s;
            root %4$s;
            %5$s
          }
        }
        """.formatted(run, tmp, endpoint, root, limitRate > 0 ? "limit_rate " + limitRate + ";" : "");
  }

  /** The URL of {@code name} in the served directory. */
  public String url(String name) {
    return "http://" + endpoint + "/" + name;
  }

  /** Body bytes sent so far, from the access log (a request appears there once it ended). */
  public long bodyBytesSent() {
    try {
      if (!Files.exists(accessLog)) {
        return 0;
      }
      long sum = 0;
      for (String line : Files.readAllLines(accessLog)) {
        String[] f = line.trim().split(" ");
        if (f.length == 3 && f[2].matches("\\d+")) {
          sum += Long.parseLong(f[2]);
        }
      }
      return sum;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read nginx's access log " + accessLog, e);
    }
  }
}
