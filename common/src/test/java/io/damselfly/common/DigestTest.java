package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void parsesAndPrintsOciForm() {
    Digest d = Digest.parse("SHA256:" + EMPTY_SHA256.toUpperCase());
    assertThat(d.algorithm()).isEqualTo(Digest.Algorithm.SHA256);
    assertThat(d).hasToString("sha256:" + EMPTY_SHA256);
  }

  @Test
  void computesSha256AndMd5() {
    assertThat(Digest.sha256Of(new byte[0]).hex()).isEqualTo(EMPTY_SHA256);
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(Digest.of(Digest.Algorithm.MD5, abc, 0, 3)).isEqualTo(Digest.md5("900150983cd24fb0d6963f7d28e17f72"));
  }

  @Test
  void rejectsBadInputNamingTheExpectedForm() {
    assertThatThrownBy(() -> Digest.parse("abc")).hasMessageContaining("sha256:<64 hex>");
    assertThatThrownBy(() -> Digest.parse("sha1:abc")).hasMessageContaining("'sha256' or 'md5'");
    assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageContaining("64 lowercase hex");
    assertThatThrownBy(() -> Digest.md5("zz" + "0".repeat(30))).hasMessageContaining("32 lowercase hex");
    assertThatThrownBy(() -> Digest.parse(null)).hasMessageContaining("null");
  }
}
