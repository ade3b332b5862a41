package io.damselfly.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.DfdaemonProcess;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.RedisProcess;
import io.damselfly.testing.TestCerts;
import io.damselfly.testing.TestFiles;
import io.damselfly.transport.ClusterAccess;
import io.damselfly.transport.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's death in a cluster that speaks mutual TLS and requires the cluster secret: two supernodes
 * (one redis-server), and dfdaemon peers with certificates of the cluster's CA. The surviving supernode
 * must reach the peers' upload ports and the dead owner's records over TLS to take the task over; every
 * output is correct and the origin sent the file once.
 */
class TlsClusterFailoverTest {
  private static final long SIZE = 24L << 20;
  private static final String PATH = "/tls-cluster.bin";
  private static final String SECRET = "tls-cluster-secret";
  private static final int SLOW_PEERS = 3;
  private static final String SLOW_RATE = "1M";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void killingTheOwnerOfATlsClusterLosesNoDownloadAndNoOriginByte() throws Exception {
    Path file = dir.resolve("tls-cluster.bin");
    Digest sha256 = TestFiles.write(file, SIZE, 93);
    TestCerts certs = TestCerts.create(dir.resolve("certs"), "cluster");
    try (RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
        OriginServer origin = OriginServer.start().serve(PATH, file);
        Sandbox sandbox = Sandbox.in(dir.resolve("run"))) {
      List<SupernodeProcess> nodes = new ArrayList<>();
      List<AutoCloseable> running = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          nodes.add(SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode-" + i), sandbox.logDir(),
              List.of(), SupernodeProcess.smallPieces("--store", redis.uri(), "--cluster-id", "tls-failover",
                  "--member-ttl", "3"),
              member(certs, "supernode-" + i)));
        }
        String nodeList = String.join(",", nodes.stream().map(SupernodeProcess::node).toList());
        Dfget dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(3));
        String url = origin.url(PATH);

        Path fastOut = sandbox.dir("out-fast").resolve("f.bin");
        DfdaemonProcess fastDaemon = daemon(sandbox, certs, "fast", nodeList);
        running.add(fastDaemon);
        Dfget.Result fast;
        try (Proc p = dfget.startWithDaemon("peer-fast", fastDaemon.port(),
            List.of("--url", url, "--output", fastOut.toString(), "--node", nodeList))) {
          fast = Dfget.await(p);
        }
        assertThat(fast.exitCode()).as("%s", fast).isZero();
        SupernodeProcess owner = ClusterFailoverTest.ownerOf(nodes, url).orElseThrow();
        assertThat(owner.taskFor(url).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);

        List<Path> outs = new ArrayList<>();
        List<Proc> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_PEERS; i++) {
          DfdaemonProcess d = daemon(sandbox, certs, "slow-" + i, nodeList);
          running.add(d);
          Path out = sandbox.dir("out-" + i).resolve("f.bin");
          outs.add(out);
          Proc p = dfget.startWithDaemon("peer-slow-" + i, d.port(),
              List.of("--url", url, "--output", out.toString(), "--node", nodeList, "--locallimit", SLOW_RATE));
          running.add(p);
          slow.add(p);
        }
        ClusterFailoverTest.awaitSlowPeersMidWay(owner, url);
        Thread.sleep(2500); // two holder publications: the store knows every peer's pieces
        ClusterFailoverTest.killHard(owner);

        outs.add(fastOut);
        ClusterFailoverTest.assertTakenOver(slow, outs, sha256, origin, PATH, SIZE,
            nodes.stream().filter(n -> n != owner).toList());
      } finally {
        for (AutoCloseable c : running.reversed()) {
          c.close();
        }
        nodes.forEach(SupernodeProcess::close);
      }
    }
  }

  private static DfdaemonProcess daemon(Sandbox sandbox, TestCerts certs, String name, String nodeList)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--node", nodeList));
    args.addAll(SupernodeProcess.accessFlags(member(certs, "daemon-" + name)));
    return DfdaemonProcess.start("dfdaemon-" + name, Jars.dfdaemon(), sandbox.home("daemon-" + name),
        sandbox.logDir(), args);
  }

  private static ClusterAccess member(TestCerts certs, String name) {
    TestCerts.Identity id = certs.issue(name);
    return ClusterAccess.NONE.withSecret(SECRET).withTls(new TlsFiles(id.cert(), id.key(), certs.ca()));
  }
}
