package io.damselfly.transport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PEM files of a node's TLS identity. The same files serve both directions: a server presents
 * {@code cert}; a client presents it too when the server asks (mutual TLS) and trusts {@code ca}.
 *
 * @param cert certificate chain (PEM), leaf first
 * @param key the certificate's private key (PEM, PKCS#8: {@code BEGIN PRIVATE KEY})
 * @param ca CA certificates (PEM); when given, servers require clients to present a certificate signed by
 *     one of them (mutual TLS) and clients trust only them; null: no client certificates asked for, and
 *     clients trust the JDK's default CAs
 */
public record TlsFiles(Path cert, Path key, Path ca) {
  public TlsFiles {
    requireReadable("cert (--tls-cert)", cert);
    requireReadable("key (--tls-key)", key);
    if (ca != null) {
      requireReadable("ca (--tls-ca)", ca);
    }
  }

  /** True when servers ask for, and check, client certificates. */
  public boolean mutual() {
    return ca != null;
  }

  private static void requireReadable(String name, Path p) {
    if (p == null) {
      throw new IllegalArgumentException("TLS " + name + " must be a PEM file, got nothing");
    }
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException("TLS " + name + " must be a readable PEM file, got " + p);
    }
  }
}
