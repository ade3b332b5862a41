package io.damselfly.testing;

import io.damselfly.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.SplittableRandom;

/** Deterministic random files and their digests. */
public final class TestFiles {
  private TestFiles() {}

  /** Writes {@code size} pseudo-random bytes from {@code seed} to {@code path}; returns their SHA-256. */
  public static Digest write(Path path, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long left = size; left > 0; ) {
        int n = (int) Math.min(buf.length, left);
        for (int i = 0; i < n; i += 8) {
          long v = random.nextLong();
          for (int j = 0; j < 8 && i + j < n; j++) {
            buf[i + j] = (byte) (v >>> (8 * j));
          }
        }
        out.write(buf, 0, n);
        md.update(buf, 0, n);
        left -= n;
      }
    }
    return Digest.of(Digest.Algorithm.SHA256, md);
  }

  public static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /** The digest of a file's content. */
  public static Digest digest(Path path, Digest.Algorithm algorithm) throws IOException {
    MessageDigest md = algorithm.newMessageDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return Digest.of(algorithm, md);
  }

  public static Digest sha256(Path path) throws IOException {
    return digest(path, Digest.Algorithm.SHA256);
  }
}
