package io.damselfly.peer.download.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {
  private static final Digest ABC_SHA256 =
      Digest.parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  private static final Digest ABC_MD5 = Digest.parse("md5:900150983cd24fb0d6963f7d28e17f72");

  @TempDir Path dir;

  @Test
  void knownVectors() throws IOException {
    Path f = Files.writeString(dir.resolve("abc"), "abc");
    FileDigests d = FileDigests.of(f, true);
    assertThat(d.sha256()).isEqualTo(ABC_SHA256);
    assertThat(d.md5()).isEqualTo(ABC_MD5);
    assertThat(d.length()).isEqualTo(3);
  }

  @Test
  void anEmptyFile() throws IOException {
    Path f = Files.createFile(dir.resolve("empty"));
    FileDigests d = FileDigests.of(f, true);
    assertThat(d.sha256().hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(d.md5().hex()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(d.length()).isZero();
  }

  @Test
  void aFileLongerThanTheBufferIsDigestedWhole() throws IOException {
    Path f = dir.resolve("big");
    long size = 3L * (1 << 20) + 7;
    Digest sha = TestFiles.write(f, size, 42);
    FileDigests d = FileDigests.of(f, true);
    assertThat(d.sha256()).isEqualTo(sha);
    assertThat(d.md5()).isEqualTo(TestFiles.digest(f, Digest.Algorithm.MD5));
    assertThat(d.length()).isEqualTo(size);
  }

  @Test
  void matchesComparesWithTheExpectedAlgorithm() throws IOException {
    Path f = Files.writeString(dir.resolve("abc"), "abc");
    FileDigests both = FileDigests.of(f, true);
    assertThat(both.matches(ABC_SHA256)).isTrue();
    assertThat(both.matches(ABC_MD5)).isTrue();
    assertThat(both.matches(Digest.md5("00000000000000000000000000000000"))).isFalse();
    assertThat(both.matches(Digest.sha256("0".repeat(64)))).isFalse();
  }

  @Test
  void withoutMd5NoMd5CanMatch() throws IOException {
    Path f = Files.writeString(dir.resolve("abc"), "abc");
    FileDigests shaOnly = FileDigests.of(f, false);
    assertThat(shaOnly.md5()).isNull();
    assertThat(shaOnly.matches(ABC_MD5)).isFalse();
    assertThat(shaOnly.matches(ABC_SHA256)).isTrue();
  }
}
