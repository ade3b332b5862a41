package io.damselfly.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A one-connection-at-a-time server on loopback that answers each request head with what a test says (null: stay
 * silent for 5 s), then closes the connection: for clients facing servers that misbehave on purpose.
 */
final class RawServer implements AutoCloseable {
  private final ServerSocket socket;

  private RawServer(ServerSocket socket) {
    this.socket = socket;
  }

  static RawServer start(Function<String, String> answer) throws IOException {
    RawServer r = new RawServer(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
    Thread.ofVirtual().start(() -> r.serve(answer));
    return r;
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve(Function<String, String> answer) {
    while (!socket.isClosed()) {
      try (Socket c = socket.accept()) {
        String a = answer.apply(head(c.getInputStream()));
        if (a == null) {
          Thread.sleep(5000);
          continue;
        }
        OutputStream out = c.getOutputStream();
        out.write(a.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  /** The request's head, up to and with the empty line. */
  static String head(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
