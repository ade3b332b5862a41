package io.damselfly.dfdaemon.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman (Debian's) pulls through daemons configured as the README says: a registries.conf naming the daemon
 * as a mirror of the registry, and {@code podman login} to the mirror's address for a private registry. Each
 * test host is a podman image store of its own.
 */
class PodmanPullTest {
  @TempDir
  Path dir;

  @Test
  void twoHostsPullThroughTwoDaemonsAndEveryBlobLeavesTheRegistryOnce() throws Exception {
    try (MirrorRig rig = MirrorRig.start(dir.resolve("rig"), null, null)) {
      PodmanStore hostA = new PodmanStore(dir.resolve("pa"));
      PodmanStore hostB = new PodmanStore(dir.resolve("pb"));
      Path noCredentials = PodmanStore.emptyAuthFile(dir.resolve("auth.json"));
      hostA.pull(rig.registriesConf("registries-a.conf", rig.spyA.hostPort()), noCredentials, MirrorRig.REF).orThrow();
      hostB.pull(rig.registriesConf("registries-b.conf", rig.mirrorB()), noCredentials, MirrorRig.REF).orThrow();
      System.out.println("podman -> dfdaemon a:\n" + rig.requestsSeenByA());

      for (PodmanStore host : List.of(hostA, hostB)) {
        assertThat(host.images()).contains(MirrorRig.REF).contains(rig.image.manifest());
      }
      rig.assertEveryBlobCameFromA();
      rig.assertImageCameOverP2p();
    }
  }

  @Test
  void privateRegistryPullsAfterLoginToTheMirrorAndRefusesAPullWithoutCredentials() throws Exception {
    try (MirrorRig rig = MirrorRig.start(dir.resolve("rig"), "alice", "s3cret")) {
      PodmanStore hostA = new PodmanStore(dir.resolve("pa"));
      PodmanStore hostB = new PodmanStore(dir.resolve("pb"));
      Path auth = dir.resolve("auth.json");
      hostA.login(auth, rig.spyA.hostPort(), "alice", "s3cret").orThrow();
      hostB.login(auth, rig.mirrorB(), "alice", "s3cret").orThrow();
      Path confA = rig.registriesConf("registries-a.conf", rig.spyA.hostPort());
      hostA.pull(confA, auth, MirrorRig.REF).orThrow();
      hostB.pull(rig.registriesConf("registries-b.conf", rig.mirrorB()), auth, MirrorRig.REF).orThrow();
      long served = rig.blobBytesServedByA();
      assertThat(served).as("blob bytes daemon a sent to podman").isEqualTo(rig.imageBlobBytes());

      PodmanStore anonymousHost = new PodmanStore(dir.resolve("px"));
      Commands.Result anonymous = anonymousHost.pull(confA, PodmanStore.emptyAuthFile(dir.resolve("none.json")),
          MirrorRig.REF);
      System.out.println("podman -> dfdaemon a:\n" + rig.requestsSeenByA());
      assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();
      assertThat(anonymous.output()).contains("unauthorized: authentication required");
      assertThat(anonymousHost.images()).doesNotContain(MirrorRig.REF);
      assertThat(rig.blobBytesServedByA()).as("blob bytes after the refused pull").isEqualTo(served);
      rig.assertImageCameOverP2p();
    }
  }
}
