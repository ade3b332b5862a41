package io.damselfly.dfdaemon.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS for upstream HTTPS: the system's trusted certificates plus the PEM files the user adds. */
public final class UpstreamTls {
  private UpstreamTls() {}

  /** An SSL context trusting the JDK's defaults and every certificate in {@code extraCaFiles}. */
  public static SSLContext context(List<Path> extraCaFiles) {
    try {
      X509TrustManager system = trustManager(null);
      if (extraCaFiles.isEmpty()) {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {system}, null);
        return ctx;
      }
      KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
      extra.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      int i = 0;
      for (Path file : extraCaFiles) {
        try (InputStream in = Files.newInputStream(file)) {
          for (Certificate c : cf.generateCertificates(in)) {
            extra.setCertificateEntry("extra-" + i++, c);
          }
        } catch (IOException | CertificateException e) {
          throw new IllegalArgumentException("upstream CA file " + file + " cannot be read as PEM certificates: "
              + e.getMessage());
        }
      }
      X509TrustManager added = trustManager(extra);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new Either(system, added)}, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for upstreams: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** Trusts a server chain either trust manager trusts. */
  private record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      first.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        second.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(X509Certificate[]::new);
    }
  }
}
