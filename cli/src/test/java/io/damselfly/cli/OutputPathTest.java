package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.DfgetExit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathTest {
  @TempDir Path dir;

  @Test
  void defaultIsTheLastPathSegmentInTheWorkingDirectory() {
    assertThat(OutputPath.resolve(null, URI.create("http://h/a/b/image.tar.gz?sig=1#frag"), dir))
        .isEqualTo(dir.resolve("image.tar.gz"));
    assertThat(OutputPath.resolve(null, URI.create("http://h/dir/my%20file%2B1.bin"), dir))
        .isEqualTo(dir.resolve("my file+1.bin"));
  }

  @Test
  void explicitOutputIsResolvedAgainstTheWorkingDirectory() {
    assertThat(OutputPath.resolve("sub/../out.bin", URI.create("http://h/x"), dir)).isEqualTo(dir.resolve("out.bin"));
    assertThat(OutputPath.resolve("/abs/out.bin", URI.create("http://h/x"), dir)).isEqualTo(Path.of("/abs/out.bin"));
  }

  @Test
  void urlWithoutFileNameNeedsOutput() {
    for (String url : new String[] {"http://h", "http://h/", "http://h/dir/", "http://h/a/..", "http://h/a/%2F"}) {
      assertThatThrownBy(() -> OutputPath.resolve(null, URI.create(url), dir))
          .as(url).isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exit()).isEqualTo(DfgetExit.USAGE))
          .hasMessageContaining("--output must be given");
    }
  }

  @Test
  void unwritableOutputsAreExit7() throws IOException {
    Files.createDirectory(dir.resolve("adir"));
    Files.writeString(dir.resolve("afile"), "x");
    assertThatThrownBy(() -> OutputPath.checkWritable(dir.resolve("missing/out.bin")))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exit()).isEqualTo(DfgetExit.OUTPUT_ERROR))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> OutputPath.checkWritable(dir.resolve("adir")))
        .isInstanceOf(CliException.class).hasMessageContaining("is a directory");
    assertThatThrownBy(() -> OutputPath.checkWritable(dir.resolve("afile/out.bin")))
        .isInstanceOf(CliException.class).hasMessageContaining("does not exist");
    OutputPath.checkWritable(dir.resolve("afile"));
    OutputPath.checkWritable(dir.resolve("new.bin"));
  }
}
