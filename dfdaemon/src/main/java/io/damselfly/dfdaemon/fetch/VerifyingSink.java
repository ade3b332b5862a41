package io.damselfly.dfdaemon.fetch;

import io.damselfly.common.Digest;
import io.damselfly.transport.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Passes a body on while hashing it; with an expected digest and a known length, the bytes that complete
 * the body are sent only after the whole body matched, so a client never receives a complete wrong blob.
 */
final class VerifyingSink implements Response.BodySink {
  private final Response.BodySink out;
  private final Digest expected;
  private final long length;
  private final MessageDigest md;
  private long written;

  /**
   * @param expected the whole body's digest, or null to pass bytes on unchecked
   * @param length the body's length, or -1 when unknown (then a mismatch is found after the last byte)
   */
  VerifyingSink(Response.BodySink out, Digest expected, long length) {
    this.out = out;
    this.expected = expected;
    this.length = length;
    this.md = expected == null ? null : expected.algorithm().newMessageDigest();
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    if (md != null) {
      md.update(bytes, offset, count);
      if (length >= 0 && written + count >= length) {
        check();
      }
    }
    written += count;
    out.write(bytes, offset, count);
  }

  @Override
  public void writeFile(Path file, long position, long count) throws IOException {
    throw new UnsupportedOperationException("verified bodies are written from memory");
  }

  long written() {
    return written;
  }

  /** Checks the digest when the length was unknown; throws (aborting the answer) on a mismatch. */
  void finish() throws IOException {
    if (md != null && length < 0) {
      check();
    }
  }

  private void check() throws IOException {
    Digest got = Digest.of(expected.algorithm(), md);
    if (!got.equals(expected)) {
      throw new IOException("content is " + got + ", not the expected " + expected + ": answer aborted");
    }
  }
}
