package io.damselfly.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away certificate authority for TLS tests: PEM files of the CA and of node certificates valid
 * for {@code 127.0.0.1}, {@code ::1} and {@code localhost}, usable as server and as client certificates.
 */
public final class TestCerts {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path dir;
  private final KeyPair caKey;
  private final X509Certificate caCert;
  private final Path caFile;

  private TestCerts(Path dir, String caName) throws GeneralSecurityException, OperatorCreationException {
    this.dir = dir;
    this.caFile = dir.resolve(caName + "-ca.pem");
    this.caKey = keyPair();
    X500Name name = new X500Name("CN=" + caName);
    X509v3CertificateBuilder b = builder(name, name, caKey);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.caCert = sign(b, caKey);
  }

  /** A CA named {@code caName} whose files go to {@code dir}; its certificate is {@link #ca()}. */
  public static TestCerts create(Path dir, String caName) {
    try {
      Files.createDirectories(dir);
      TestCerts certs = new TestCerts(dir, caName);
      writeCert(certs.caFile, certs.caCert);
      return certs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  /** The CA certificate (PEM). */
  public Path ca() {
    return caFile;
  }

  /** A node certificate and its PKCS#8 key, signed by this CA. */
  public record Identity(Path cert, Path key) {}

  /** Issues {@code name}'s certificate for the loopback addresses. */
  public Identity issue(String name) {
    try {
      KeyPair kp = keyPair();
      X509v3CertificateBuilder b = builder(new X500Name(caCert.getSubjectX500Principal().getName()),
          new X500Name("CN=" + name), kp);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1"),
          new GeneralName(GeneralName.dNSName, "localhost")}));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      X509Certificate cert = sign(b, caKey);
      Identity id = new Identity(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
      writeCert(id.cert(), cert);
      writePem(id.key(), new PemObject("PRIVATE KEY", kp.getPrivate().getEncoded()));
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a test certificate for " + name, e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKey) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
        subjectKey.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static void writeCert(Path to, X509Certificate cert) throws IOException, GeneralSecurityException {
    writePem(to, new PemObject("CERTIFICATE", cert.getEncoded()));
  }

  private static void writePem(Path to, PemObject pem) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(pem);
    }
    Files.writeString(to, out.toString());
  }
}
