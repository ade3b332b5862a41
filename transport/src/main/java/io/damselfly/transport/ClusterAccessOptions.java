package io.damselfly.transport;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The cluster secret and TLS options of every program that joins a cluster, as one picocli mixin
 * ({@code @Mixin ClusterAccessOptions access}), read into a {@link ClusterAccess}.
 */
public final class ClusterAccessOptions {
  @Option(names = "--cluster-secret", paramLabel = "SECRET", defaultValue = "${env:DAMSELFLY_CLUSTER_SECRET}",
      description = "Shared secret of the cluster (X-Damselfly-Secret): sent to supernodes and peers, and asked of "
          + "every caller of this program's ports (env DAMSELFLY_CLUSTER_SECRET; default: none).")
  String secret;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Speak TLS in the cluster with this certificate: this program's ports serve TLS, and it talks "
          + "TLS to supernodes and peers.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PKCS#8 PEM).")
  Path key;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "The cluster's CA: trusted for supernodes and peers, and required of callers (mutual TLS).")
  Path ca;

  /** True when any of the options was given (or the secret's environment variable is set). */
  public boolean given() {
    return secret != null || cert != null || key != null || ca != null;
  }

  /**
   * The access the options describe.
   *
   * @throws IllegalArgumentException when {@code --tls-ca} comes without a certificate and key
   */
  public ClusterAccess access() {
    return ClusterAccess.of(secret, cert, key, ca);
  }
}
