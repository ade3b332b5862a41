package io.damselfly.dfdaemon.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * containerd (Debian's, driven by {@code ctr}) pulls through daemons configured as the README says: a
 * {@code hosts.toml} naming the daemon as a pull/resolve mirror of the registry. Each containerd namespace
 * keeps its own content, so two namespaces behave as two hosts.
 */
class ContainerdPullTest {
  private static final String USER = "alice:s3cret";

  @TempDir
  Path dir;

  @Test
  void twoHostsPullThroughTwoDaemonsAndEveryBlobLeavesTheRegistryOnce() throws Exception {
    try (MirrorRig rig = MirrorRig.start(dir.resolve("rig"), null, null);
        ContainerdProcess containerd = ContainerdProcess.start(dir.resolve("ctd"))) {
      containerd.pull("a", rig.hostsDir("hosts-a", rig.spyA.hostPort()), MirrorRig.REF, null).orThrow();
      containerd.pull("b", rig.hostsDir("hosts-b", rig.mirrorB()), MirrorRig.REF, null).orThrow();
      System.out.println("containerd -> dfdaemon a:\n" + rig.requestsSeenByA());

      for (String namespace : List.of("a", "b")) {
        assertThat(containerd.images(namespace)).contains(MirrorRig.REF).contains(rig.image.manifest());
      }
      rig.assertEveryBlobCameFromA();
      rig.assertImageCameOverP2p();
    }
  }

  @Test
  void privateRegistryPullsWithUserAndRefusesAPullWithoutCredentials() throws Exception {
    try (MirrorRig rig = MirrorRig.start(dir.resolve("rig"), "alice", "s3cret");
        ContainerdProcess containerd = ContainerdProcess.start(dir.resolve("ctd"))) {
      Path hostsA = rig.hostsDir("hosts-a", rig.spyA.hostPort());
      containerd.pull("a", hostsA, MirrorRig.REF, USER).orThrow();
      containerd.pull("b", rig.hostsDir("hosts-b", rig.mirrorB()), MirrorRig.REF, USER).orThrow();
      long served = rig.blobBytesServedByA();
      assertThat(served).as("blob bytes daemon a sent to containerd").isEqualTo(rig.imageBlobBytes());

      Commands.Result anonymous = containerd.pull("anonymous", hostsA, MirrorRig.REF, null);
      System.out.println("containerd -> dfdaemon a:\n" + rig.requestsSeenByA());
      assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();
      assertThat(anonymous.output()).contains("401 Unauthorized");
      assertThat(containerd.images("anonymous")).doesNotContain(MirrorRig.REF);
      assertThat(rig.blobBytesServedByA()).as("blob bytes after the refused pull").isEqualTo(served);
      rig.assertImageCameOverP2p();
    }
  }
}
