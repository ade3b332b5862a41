package io.damselfly.cli.node;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange with a node's loopback local API over a plain socket ({@code Connection: close}): the
 * request, then the status, the headers and the body, de-chunked, read line by line. The JDK's HTTP client is not
 * used on purpose: its selector and executor cost a short-lived dfget more CPU than the whole hand-over.
 * {@link #close()} from another thread aborts a blocked read.
 */
final class LocalHttp implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_LINE = 1 << 20;
  private final Socket socket;
  private InputStream in;
  private int status;
  private boolean chunked;
  private long remaining = -1;
  private boolean sawChunk;

  private LocalHttp(Socket socket) {
    this.socket = socket;
  }

  /**
   * Connects to {@code 127.0.0.1:port}, sends {@code method path} with {@code body} (JSON, or null) and reads the
   * response head.
   *
   * @param timeout connect timeout, and read timeout until the head has arrived (0: none)
   */
  static LocalHttp exchange(int port, String method, String path, byte[] body, Duration timeout) throws IOException {
    Socket s = new Socket();
    LocalHttp h = new LocalHttp(s);
    try {
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
      s.setSoTimeout(millis);
      StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
      if (body != null) {
        head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      h.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      h.readHead();
      return h;
    } catch (IOException | RuntimeException e) {
      h.close();
      throw e;
    }
  }

  int status() {
    return status;
  }

  /** From now on reads wait as long as it takes (a download's stream). */
  void untimed() throws IOException {
    socket.setSoTimeout(0);
  }

  /** The next line of the body without its end of line, or null at the end of the body. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    while (true) {
      int c = readBody();
      if (c < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (c == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("a line of the node's answer is longer than " + MAX_LINE + " bytes");
      }
      line.write(c);
    }
  }

  /** The rest of the body as text. */
  String readAll() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String l = readLine(); l != null; l = readLine()) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(l);
    }
    return b.toString();
  }

  private int readBody() throws IOException {
    if (chunked && remaining == 0) {
      if (!nextChunk()) {
        return -1;
      }
    }
    if (remaining == 0) {
      return -1;
    }
    int c = in.read();
    if (c < 0) {
      if (chunked || remaining > 0) {
        throw new IOException("the node closed the connection in the middle of its answer");
      }
      return -1;
    }
    if (remaining > 0) {
      remaining--;
    }
    return c;
  }

  /** Reads the next chunk's size line (after the previous chunk's CRLF); false at the last chunk. */
  private boolean nextChunk() throws IOException {
    if (sawChunk) {
      headLine(); // the CRLF that ends the previous chunk's data
    }
    sawChunk = true;
    String size = headLine();
    int semi = size.indexOf(';');
    String hex = (semi >= 0 ? size.substring(0, semi) : size).trim();
    long n;
    try {
      n = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("bad chunk size '" + size + "' in the node's answer");
    }
    if (n == 0) {
      chunked = false;
      remaining = 0;
      return false;
    }
    remaining = n;
    return true;
  }

  private void readHead() throws IOException {
    String statusLine = headLine();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: '" + statusLine + "'");
    }
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status line: '" + statusLine + "'");
    }
    int total = statusLine.length();
    for (String h = headLine(); !h.isEmpty(); h = headLine()) {
      total += h.length();
      if (total > MAX_HEAD) {
        throw new IOException("the node's answer has more than " + MAX_HEAD + " bytes of headers");
      }
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
        remaining = 0;
      } else if (name.equals("content-length") && !chunked) {
        try {
          remaining = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("bad Content-Length '" + value + "' in the node's answer");
        }
      }
    }
  }

  /** A CRLF-terminated line of the head or of the chunk framing. */
  private String headLine() throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the node closed the connection in the middle of its answer");
      }
      if (c == '\n') {
        int n = b.length();
        return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
      }
      if (b.length() >= MAX_HEAD) {
        throw new IOException("a line of the node's answer head is longer than " + MAX_HEAD + " bytes");
      }
      b.append((char) c);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a loopback socket: nothing to report
    }
  }
}
