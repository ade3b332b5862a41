package io.damselfly.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** Builds TLS contexts from a node's {@link TlsFiles}: Netty's for servers and piece clients, the JDK's for HTTP clients. */
public final class Tls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private Tls() {}

  /** The server side: presents the node's certificate; requires client certificates when a CA is given. */
  public static SslContext server(TlsFiles files) {
    try {
      SslContextBuilder b = SslContextBuilder.forServer(files.cert().toFile(), files.key().toFile())
          .sslProvider(SslProvider.JDK).protocols(PROTOCOLS);
      if (files.mutual()) {
        b.trustManager(files.ca().toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw unusable(files, e);
    }
  }

  /**
   * The client side, for {@link java.net.http.HttpClient}: trusts the CA when given (else the JDK's
   * default CAs) and presents the node's certificate when a server asks for one.
   */
  public static SSLContext client(TlsFiles files) {
    return ((JdkSslContext) nettyClient(files)).context();
  }

  /** The client side for Netty connections ({@link RangeClient}): the same trust and certificate. */
  static SslContext nettyClient(TlsFiles files) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
          .keyManager(files.cert().toFile(), files.key().toFile());
      if (files.ca() != null) {
        b.trustManager(files.ca().toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw unusable(files, e);
    }
  }

  private static IllegalArgumentException unusable(TlsFiles files, Exception e) {
    return new IllegalArgumentException("cannot use TLS files " + files.cert() + " and " + files.key()
        + " (PEM certificate and PKCS#8 key expected): " + e.getMessage(), e);
  }
}
