package io.damselfly.dfdaemon.proxy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The daemon's certificate authority for HTTPS interception: made once in {@code <home>/ca/} ({@code ca.crt},
 * the certificate clients must trust, and {@code ca.key}, readable by its owner only), then a server
 * certificate per intercepted host, signed by it and kept in memory.
 */
public final class Interceptor {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final Map<String, SslContext> contexts = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private Interceptor(X509Certificate ca, PrivateKey caKey) {
    this.ca = ca;
    this.caKey = caKey;
  }

  /** Loads the CA of {@code dir}, making it first when absent. */
  public static Interceptor open(Path dir) {
    Path crt = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    try {
      if (!Files.exists(crt) || !Files.exists(key)) {
        Files.createDirectories(dir);
        KeyPair pair = newKeyPair();
        X509Certificate cert = sign(new X500Name("CN=Damselfly dfdaemon CA"), pair, pair.getPrivate(),
            new X500Name("CN=Damselfly dfdaemon CA"), CA_VALIDITY, null, new SecureRandom());
        Path tmpKey = dir.resolve("ca.key.tmp");
        Files.deleteIfExists(tmpKey);
        Files.createFile(tmpKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmpKey, pem(pair.getPrivate()));
        Files.writeString(crt, pem(cert));
        Files.move(tmpKey, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      try (Reader c = Files.newBufferedReader(crt); PEMParser pc = new PEMParser(c);
          Reader k = Files.newBufferedReader(key); PEMParser pk = new PEMParser(k)) {
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) pc.readObject());
        Object keyObject = pk.readObject();
        PrivateKey priv = keyObject instanceof PEMKeyPair kp ? new JcaPEMKeyConverter().getKeyPair(kp).getPrivate()
            : new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) keyObject);
        return new Interceptor(cert, priv);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the interception CA in " + dir + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException | ClassCastException e) {
      throw new IllegalStateException("the interception CA in " + dir + " is not usable: " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return ca;
  }

  /** A TLS server context presenting a certificate for {@code host} signed by the CA. */
  public SslContext serverContext(String host) {
    return contexts.computeIfAbsent(host.toLowerCase(java.util.Locale.ROOT), h -> {
      try {
        KeyPair pair = newKeyPair();
        X509Certificate leaf = sign(new X500Name("CN=" + h), pair, caKey,
            new X500Name(ca.getSubjectX500Principal().getName()), LEAF_VALIDITY, h, random);
        return SslContextBuilder.forServer(pair.getPrivate(), leaf, ca).build();
      } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
        throw new IllegalStateException("cannot make a certificate for " + h + ": " + e.getMessage(), e);
      }
    });
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  /** Signs a certificate for {@code pair}: a CA when {@code host} is null, else a server certificate for it. */
  private static X509Certificate sign(X500Name subject, KeyPair pair, PrivateKey issuerKey, X500Name issuer,
      Duration validity, String host, SecureRandom random)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).abs(),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), subject, pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
    if (host == null) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      GeneralName name = isAddress(host) ? new GeneralName(GeneralName.iPAddress, host)
          : new GeneralName(GeneralName.dNSName, host);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
    }
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
