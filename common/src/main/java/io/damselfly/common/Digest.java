package io.damselfly.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A content digest such as {@code sha256:9f86d0...} or {@code md5:d41d8c...}.
 *
 * <p>The text form is {@code algorithm:lowercase-hex}, the form used by OCI registries.
 */
public record Digest(Algorithm algorithm, String hex) {

  /** Supported digest algorithms with their JCA names and hex lengths. */
  public enum Algorithm {
    SHA256("sha256", "SHA-256", 64),
    MD5("md5", "MD5", 32);

    private final String prefix;
    private final String jcaName;
    private final int hexLength;

    Algorithm(String prefix, String jcaName, int hexLength) {
      this.prefix = prefix;
      this.jcaName = jcaName;
      this.hexLength = hexLength;
    }

    public String prefix() {
      return prefix;
    }

    /** A fresh {@link MessageDigest} for this algorithm. */
    public MessageDigest newMessageDigest() {
      try {
        return MessageDigest.getInstance(jcaName);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("JDK lacks " + jcaName, e);
      }
    }
  }

  public Digest {
    if (algorithm == null) {
      throw new IllegalArgumentException("digest algorithm must not be null");
    }
    if (hex == null || hex.length() != algorithm.hexLength || !isLowerHex(hex)) {
      throw new IllegalArgumentException(
          "digest hex must be " + algorithm.hexLength + " lowercase hex characters for "
              + algorithm.prefix + ", got '" + hex + "'");
    }
  }

  /**
   * Parses {@code sha256:HEX} or {@code md5:HEX}; hex digits may be upper case.
   *
   * @throws IllegalArgumentException naming the expected form when {@code text} is not a digest
   */
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("digest must not be null");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "digest must look like 'sha256:<64 hex>' or 'md5:<32 hex>', got '" + text + "'");
    }
    String prefix = text.substring(0, colon).toLowerCase(Locale.ROOT);
    String hex = text.substring(colon + 1).toLowerCase(Locale.ROOT);
    for (Algorithm a : Algorithm.values()) {
      if (a.prefix.equals(prefix)) {
        return new Digest(a, hex);
      }
    }
    throw new IllegalArgumentException(
        "digest algorithm must be 'sha256' or 'md5', got '" + prefix + "' in '" + text + "'");
  }

  /** An MD5 digest from bare hex, as given to {@code dfget --md5}. */
  public static Digest md5(String hex) {
    return new Digest(Algorithm.MD5, hex == null ? null : hex.toLowerCase(Locale.ROOT));
  }

  public static Digest sha256(String hex) {
    return new Digest(Algorithm.SHA256, hex == null ? null : hex.toLowerCase(Locale.ROOT));
  }

  /** The digest of {@code bytes[offset, offset+length)}. */
  public static Digest of(Algorithm algorithm, byte[] bytes, int offset, int length) {
    MessageDigest md = algorithm.newMessageDigest();
    md.update(bytes, offset, length);
    return of(algorithm, md);
  }

  public static Digest sha256Of(byte[] bytes) {
    return of(Algorithm.SHA256, bytes, 0, bytes.length);
  }

  /** Completes {@code md} and wraps the result. */
  public static Digest of(Algorithm algorithm, MessageDigest md) {
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
  }

  @Override
  public String toString() {
    return algorithm.prefix + ":" + hex;
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
