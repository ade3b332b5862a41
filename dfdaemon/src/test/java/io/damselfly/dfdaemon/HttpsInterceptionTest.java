package io.damselfly.dfdaemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONNECT through the daemon: listed hosts are decrypted with a certificate of the daemon's CA (curl trusts
 * only that CA and still succeeds); other hosts are tunnelled untouched (curl sees the origin's own certificate).
 */
class HttpsInterceptionTest {
  @TempDir
  Path dir;

  @Test
  void interceptsListedHostsWithItsCaAndTunnelsOthersUntouched() throws Exception {
    Path keystore = dir.resolve("origin.p12");
    Path originCert = dir.resolve("origin.pem");
    keytool("-genkeypair", "-alias", "origin", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
        keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "origin", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", originCert.toString());
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpsServer origin = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    try (Cluster cluster = new Cluster(dir)) {
      origin.setHttpsConfigurator(new HttpsConfigurator(tls(keystore)));
      origin.setExecutor(executor);
      origin.createContext("/secret.txt", ex -> {
        byte[] body = "over https\n".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (var out = ex.getResponseBody()) {
          out.write(body);
        }
      });
      origin.start();
      int port = origin.getAddress().getPort();
      Dfdaemon d = cluster.daemon("d", c -> c.withProxies(List.of(), List.of(Pattern.compile("^localhost:")))
          .withUpstreamCaFiles(List.of(originCert)));
      String proxy = "http://127.0.0.1:" + d.port();
      assertThat(d.caCertificate()).exists();

      byte[] intercepted = ProxyModeTest.curl("-s", "--cacert", d.caCertificate().toString(), "-x", proxy,
          "https://localhost:" + port + "/secret.txt");
      assertThat(new String(intercepted, StandardCharsets.UTF_8)).isEqualTo("over https\n");

      byte[] tunnelled = ProxyModeTest.curl("-s", "--cacert", originCert.toString(), "-x", proxy,
          "https://127.0.0.1:" + port + "/secret.txt");
      assertThat(new String(tunnelled, StandardCharsets.UTF_8)).isEqualTo("over https\n");
    } finally {
      origin.stop(0);
      executor.shutdownNow();
    }
  }

  private static SSLContext tls(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static void keytool(String... args) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    List<String> cmd = new java.util.ArrayList<>(List.of(java.resolveSibling("keytool").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool: %s", out).isZero();
  }
}
