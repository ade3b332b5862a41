package io.damselfly.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends bytes that need not be valid HTTP to a loopback server and reads one answer: for malformed
 * requests the JDK's client refuses to build.
 */
public final class RawHttp {
  private static final int READ_TIMEOUT_MILLIS = 20_000;
  private static final int MAX_ANSWER = 4 << 20;

  private RawHttp() {}

  /**
   * One answer to a raw request.
   *
   * @param status the status code, or -1 when the server closed the connection without answering
   * @param head the status line and headers as sent
   * @param body the body: Content-Length bytes, or (chunked, framing included) all bytes up to the close
   */
  public record Answer(int status, String head, byte[] body) {
    public boolean closedWithoutAnswer() {
      return status < 0;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** True when the body holds {@code bytes} somewhere (to prove a file's bytes were not sent). */
    public boolean bodyContains(byte[] bytes) {
      String in = new String(body, StandardCharsets.ISO_8859_1);
      return in.contains(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Refused as bad input should be: a 4xx answer, or a closed connection. */
    public boolean refused() {
      return closedWithoutAnswer() || (status >= 400 && status < 500);
    }

    @Override
    public String toString() {
      String text = bodyText();
      return head.strip() + (text.isEmpty() ? "" : " | " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
    }
  }

  /**
   * A request as bytes: {@code method target HTTP/1.1}, Host, {@code Connection: close}, the extra header
   * lines (each "Name: value"), and Content-Length plus {@code body} when the body is not null.
   */
  public static byte[] request(String method, String target, String body, String... headerLines) {
    StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headerLines) {
      b.append(h).append("\r\n");
    }
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      b.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
    }
    byte[] head = b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    return out;
  }

  /** Sends {@code request} to {@code 127.0.0.1:port} and reads the answer; fails if none comes in 20 s. */
  public static Answer exchange(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      try {
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
      } catch (SocketException e) {
        return new Answer(-1, "", new byte[0]); // the server closed while we were still sending
      }
      return read(s.getInputStream());
    }
  }

  /**
   * Sends {@code request} and fails (AssertionError) unless it is refused (4xx or closed) with no trace of
   * {@code secret} (a canary's content) in the answer.
   */
  public static Answer requireRefused(int port, byte[] request, String secret) throws IOException {
    Answer a = exchange(port, request);
    if (!a.refused() || a.bodyText().contains(secret)) {
      throw new AssertionError("not refused: " + shown(request) + " -> " + a);
    }
    return a;
  }

  /** The start of a request, for failure messages. */
  public static String shown(byte[] request) {
    return new String(request, 0, Math.min(request.length, 300), StandardCharsets.UTF_8);
  }

  public static Answer exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads one answer from {@code in}: head, then a body of Content-Length bytes. */
  public static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      int last = 0; // the last four bytes, to find the blank line that ends the head
      while (last != 0x0d0a0d0a) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
        last = (last << 8) | b;
        if (head.size() > 64 * 1024) {
          throw new IOException("answer head longer than 64 KiB");
        }
      }
    } catch (SocketException e) {
      // reset by the server: treated like a close
    } catch (SocketTimeoutException e) {
      throw new IOException("no answer within " + READ_TIMEOUT_MILLIS + " ms", e);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
      return new Answer(-1, text, new byte[0]);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    long length = contentLength(text);
    byte[] body;
    try {
      // without a length (a chunked stream) the body runs to the close that Connection: close asks for
      body = length >= 0 ? in.readNBytes((int) Math.min(length, MAX_ANSWER)) : in.readNBytes(MAX_ANSWER);
    } catch (SocketException e) {
      body = new byte[0];
    }
    return new Answer(status, text, body);
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return -1;
  }
}
