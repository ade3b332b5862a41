package io.damselfly.peer.download.output;

import io.damselfly.common.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** The SHA-256 (and, when asked, MD5) of a whole file in one sequential pass with a small buffer. */
public record FileDigests(Digest sha256, Digest md5, long length) {

  public static FileDigests of(Path file, boolean withMd5) throws IOException {
    Hasher hasher = new Hasher(withMd5);
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long length = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf.clear()) >= 0) {
        buf.flip();
        length += buf.remaining();
        hasher.update(buf.array(), 0, buf.limit());
      }
    }
    return hasher.digests(length);
  }

  /** The SHA-256, and the MD5 when asked, of bytes fed in order. */
  static final class Hasher {
    private final MessageDigest sha = Digest.Algorithm.SHA256.newMessageDigest();
    private final MessageDigest md5;

    Hasher(boolean withMd5) {
      this.md5 = withMd5 ? Digest.Algorithm.MD5.newMessageDigest() : null;
    }

    void update(byte[] bytes, int offset, int length) {
      sha.update(bytes, offset, length);
      if (md5 != null) {
        md5.update(bytes, offset, length);
      }
    }

    /** The digests of what was fed, {@code length} bytes in all. */
    FileDigests digests(long length) {
      return new FileDigests(Digest.of(Digest.Algorithm.SHA256, sha),
          md5 == null ? null : Digest.of(Digest.Algorithm.MD5, md5), length);
    }
  }

  /** True when {@code expected} (either algorithm) matches. */
  public boolean matches(Digest expected) {
    return expected.algorithm() == Digest.Algorithm.MD5 ? expected.equals(md5) : expected.equals(sha256);
  }
}
