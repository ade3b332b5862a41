package io.damselfly.peer.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.peer.testkit.OriginFile;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.testing.TestCerts;
import io.damselfly.testing.TestFiles;
import io.damselfly.testing.fuzz.RawHttp;
import io.damselfly.transport.ClusterAccess;
import io.damselfly.transport.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peers and a supernode that share a cluster secret and mutual TLS; outsiders get nothing. */
class PeerAccessTest {
  private static final long SIZE = 2L << 20;
  private static final String SECRET = "peer-cluster-secret";

  @TempDir Path dir;

  @Test
  void peersDownloadFromTheCdnAndEachOtherOverMutualTlsWithTheSecret() throws Exception {
    TestCerts certs = TestCerts.create(dir.resolve("certs"), "cluster");
    TestCerts.Identity sn = certs.issue("supernode");
    ClusterAccess snAccess = ClusterAccess.NONE.withSecret(SECRET).withTls(new TlsFiles(sn.cert(), sn.key(), certs.ca()));
    try (Cluster cluster = Cluster.start(dir, c -> c.withAccess(snAccess, null))) {
      OriginFile file = cluster.serve("/tls.bin", SIZE, 3);
      PeerNode a = cluster.node("a", c -> c.withAccess(member(certs, "a")));
      PeerNode b = cluster.node("b", c -> c.withAccess(member(certs, "b")));
      Path outputs = Files.createDirectories(dir.resolve("out"));

      ProgressEvent first = Cluster.run(a, cluster.download(file, outputs.resolve("a.bin")).build());
      assertThat(first.type()).as(first.message()).isEqualTo(ProgressEvent.Type.DONE);
      ProgressEvent second = Cluster.run(b, cluster.download(file, outputs.resolve("b.bin")).build());
      assertThat(second.type()).as(second.message()).isEqualTo(ProgressEvent.Type.DONE);
      assertThat(second.fromPeers()).as("b fetched from a's upload port over TLS").isPositive();
      assertThat(TestFiles.sha256(outputs.resolve("a.bin"))).isEqualTo(file.sha256());
      assertThat(TestFiles.sha256(outputs.resolve("b.bin"))).isEqualTo(file.sha256());

      PeerNode wrongSecret = cluster.node("c", c -> c.withAccess(member(certs, "c").withSecret("not-the-secret")));
      ProgressEvent refused = Cluster.run(wrongSecret, cluster.download(file, outputs.resolve("c.bin")).build());
      assertThat(refused.type()).isEqualTo(ProgressEvent.Type.ERROR);
      assertThat(outputs.resolve("c.bin")).doesNotExist();

      PeerNode noCert = cluster.node("d", c -> c.withAccess(ClusterAccess.NONE.withSecret(SECRET)));
      ProgressEvent plain = Cluster.run(noCert, cluster.download(file, outputs.resolve("d.bin")).build());
      assertThat(plain.type()).isEqualTo(ProgressEvent.Type.ERROR);
      assertThat(outputs.resolve("d.bin")).doesNotExist();
      assertThat(cluster.origin().bodyBytes(file.path())).as("the origin sent the file once").isEqualTo(SIZE);
    }
  }

  @Test
  void theUploadPortGivesNoByteWithoutTheSecret() throws Exception {
    ClusterAccess access = ClusterAccess.NONE.withSecret(SECRET);
    try (Cluster cluster = Cluster.start(dir, c -> c.withAccess(access, null))) {
      OriginFile file = cluster.serve("/secret.bin", 1 << 20, 4);
      PeerNode a = cluster.node("a", c -> c.withAccess(access));
      ProgressEvent done = Cluster.run(a, cluster.download(file, dir.resolve("a.bin")).build());
      assertThat(done.type()).as(done.message()).isEqualTo(ProgressEvent.Type.DONE);
      String path = ProtocolV1.path(ProtocolV1.FILE, done.taskId());
      byte[] head = Arrays.copyOf(Files.readAllBytes(file.file()), 4096);

      RawHttp.Answer missing = RawHttp.exchange(a.uploadPort(), RawHttp.request("GET", path, null, "Range: bytes=0-4095"));
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.bodyContains(Arrays.copyOf(head, 32))).isFalse();
      RawHttp.Answer wrong = RawHttp.exchange(a.uploadPort(), RawHttp.request("GET", path, null, "Range: bytes=0-4095",
          ProtocolV1.HEADER_SECRET + ": " + SECRET.toUpperCase()));
      assertThat(wrong.status()).isEqualTo(403);
      RawHttp.Answer map = RawHttp.exchange(a.uploadPort(),
          RawHttp.request("GET", ProtocolV1.path(ProtocolV1.PIECE_MAP, done.taskId()), null));
      assertThat(map.status()).isEqualTo(401);
      RawHttp.Answer ok = RawHttp.exchange(a.uploadPort(), RawHttp.request("GET", path, null, "Range: bytes=0-4095",
          ProtocolV1.HEADER_SECRET + ": " + SECRET));
      assertThat(ok.status()).isEqualTo(206);
      assertThat(ok.body()).isEqualTo(head);
    }
  }

  private static ClusterAccess member(TestCerts certs, String name) {
    TestCerts.Identity id = certs.issue(name);
    return ClusterAccess.NONE.withSecret(SECRET).withTls(new TlsFiles(id.cert(), id.key(), certs.ca()));
  }
}
