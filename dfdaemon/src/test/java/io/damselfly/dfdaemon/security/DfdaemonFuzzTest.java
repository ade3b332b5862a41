package io.damselfly.dfdaemon.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.Dfdaemon;
import io.damselfly.dfdaemon.Upstream;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import io.damselfly.testing.fuzz.FileTree;
import io.damselfly.testing.fuzz.HostileInput;
import io.damselfly.testing.fuzz.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile requests on dfdaemon's port (registry mirror, HTTP proxy, CONNECT, local API): each is refused
 * (4xx or a closed connection) or, when it names something to fetch, answered as an upstream failure (502,
 * 504) — never a 500, never a local file; the daemon keeps serving and writes only under its own dirs.
 */
class DfdaemonFuzzTest {
  private static Path dir;
  private static Path home;
  private static Path canaryFile;
  private static String canary;
  private static Set<String> outside;
  private static OriginServer registry;
  private static Dfdaemon daemon;
  private static Digest blob;
  private static byte[] blobBytes;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("dfdaemon-fuzz");
    home = dir.resolve("d");
    canaryFile = home.resolve("canary.txt");
    canary = FileTree.canary(canaryFile);
    Path good = dir.resolve("blob");
    blob = TestFiles.write(good, 300_000, 21);
    blobBytes = Files.readAllBytes(good);
    registry = OriginServer.start();
    registry.serve("/v2/lib/app/blobs/" + blob, good);
    DaemonConfig c = DaemonConfig.defaults(home).withPort(0).withBindHost("127.0.0.1")
        .withRegistries(List.of(Upstream.parse("http://127.0.0.1:" + registry.port())))
        .withSupernodes(List.of("127.0.0.1:1"));
    daemon = Dfdaemon.start(c, InstantSource.system());
    RawHttp.Answer first = RawHttp.exchange(daemon.port(), RawHttp.request("GET", "/v2/lib/app/blobs/" + blob, null));
    if (first.status() != 200) {
      throw new IllegalStateException("setup pull failed: " + first);
    }
    outside = snapshot();
  }

  private static Set<String> snapshot() {
    return FileTree.snapshot(dir, home.resolve("data"), home.resolve("cache"), home.resolve("ca"), home.resolve("logs"));
  }

  @AfterContainer
  static void stop() throws IOException {
    if (daemon != null) {
      daemon.close();
    }
    if (registry != null) {
      registry.close();
    }
    FileTree.delete(dir);
  }

  @AfterProperty
  void stillServingAndContained() throws IOException {
    RawHttp.Answer a = RawHttp.exchange(daemon.port(), RawHttp.request("GET", "/v2/lib/app/blobs/" + blob, null));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo(blobBytes);
    assertThat(snapshot()).isEqualTo(outside);
    assertThat(Files.readString(canaryFile)).isEqualTo(canary);
  }

  @Property(tries = 200)
  void hostileMirrorPaths(@ForAll("mirrorPaths") String path, @ForAll("methods") String method) throws IOException {
    acceptable(RawHttp.request(method, path, null, "Range: bytes=0-9"));
  }

  @Property(tries = 120)
  void hostileProxyTargets(@ForAll("proxyTargets") String target) throws IOException {
    acceptable(RawHttp.request("GET", target, null));
  }

  @Property(tries = 80)
  void hostileConnectTargets(@ForAll("connectTargets") String target) throws IOException {
    acceptable(RawHttp.request("CONNECT", target, null));
  }

  @Property(tries = 80)
  void hostileLocalApiBodies(@ForAll("bodies") String body) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(daemon.port(), RawHttp.request("POST", ProtocolV1.LOCAL_DOWNLOADS, body));
    assertThat(a.refused() || (a.status() == 200 && a.bodyText().contains("\"type\":\"error\""))).as("%s -> %s", body, a)
        .isTrue();
    assertThat(a.bodyText()).doesNotContain(canary);
  }

  @Example
  void oversizedAndMalformedRequestsAreRefused() throws IOException {
    acceptable(RawHttp.request("GET", "/v2/" + "a/".repeat(5_000) + "blobs/" + blob, null));
    acceptable(RawHttp.request("GET", "/v2/lib/app/blobs/" + blob, null, "X-Fill: " + "x".repeat(70_000)));
    acceptable("\u0000\u0001 /v2/ HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    acceptable(RawHttp.request("GET", "/v2/lib/app/blobs/" + blob, null, "Content-Length: -7"));
  }

  private static void acceptable(byte[] request) throws IOException {
    RawHttp.Answer a = RawHttp.exchange(daemon.port(), request);
    String shown = new String(request, 0, Math.min(request.length, 300), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(a.refused() || a.status() == 502 || a.status() == 504).as("%s -> %s", shown, a).isTrue();
    assertThat(a.bodyText()).doesNotContain(canary);
    assertThat(a.bodyContains(java.util.Arrays.copyOf(blobBytes, 64))).as("%s -> %s", shown, a).isFalse();
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "HEAD", "DELETE", "PUT", "PATCH");
  }

  @Provide
  Arbitrary<String> mirrorPaths() {
    Arbitrary<String> seg = HostileInput.segments();
    Arbitrary<String> digest = Arbitraries.oneOf(HostileInput.badDigests().map(d -> d.replace(" ", "%20")), seg);
    return Arbitraries.oneOf(
        Combinators.combine(seg, digest).as((n, d) -> "/v2/" + n + "/blobs/" + d),
        Combinators.combine(seg, seg).as((n, r) -> "/v2/" + n + "/manifests/" + r),
        digest.map(d -> "/v2/lib/app/blobs/" + d),
        seg.map(s -> "/v2/" + s),
        seg.map(s -> "/v2/lib/app/blobs/" + blob + "/" + s),
        seg.map(s -> "/" + s));
  }

  /** Only loopback or unparseable hosts: a fuzz test must send nothing beyond this machine (no DNS either). */
  @Provide
  Arbitrary<String> proxyTargets() {
    Arbitrary<String> seg = HostileInput.segments();
    return Arbitraries.oneOf(
        Arbitraries.of("file:///etc/passwd", "file://" + canaryFile, "jar:file:" + canaryFile + "!/x", "gopher://127.0.0.1:1/",
            "http://", "http:///x", "http://[::1/x", "http://127.0.0.1:0/x", "http://127.0.0.1:99999/x", "ftp://127.0.0.1:1/x"),
        seg.map(s -> "http://127.0.0.1:1/" + s),
        seg.map(s -> "http://127.0.0.1:" + s + "/x"),
        seg.map(s -> "http://[" + s + "]/x"));
  }

  /** As for proxy targets: loopback or unparseable only. */
  @Provide
  Arbitrary<String> connectTargets() {
    return Arbitraries.oneOf(HostileInput.segments().map(s -> "127.0.0.1:" + s),
        HostileInput.segments().map(s -> "[" + s + "]:443"),
        Arbitraries.of("127.0.0.1:1", "127.0.0.1:0", "1", "1:443", "127.1:443", "127.0.0.1:99999", ":443", "[::1",
            "a:b:c", "localhost:-1",
            "../../etc:443", "127.0.0.1:-1", "127.0.0.1:1:2"));
  }

  @Provide
  Arbitrary<String> bodies() {
    // supernodes stay on loopback: a fuzz test must send nothing beyond this machine
    return Arbitraries.oneOf(HostileInput.malformedJson(), HostileInput.jsonObjects("url", "output", "pattern")
        .map(o -> o.length() > 2 ? o.substring(0, o.length() - 1) + ",\"nodes\":[\"127.0.0.1:1\"]}" : o));
  }
}
