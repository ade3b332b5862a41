package io.damselfly.peer.download.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.peer.testkit.Cluster;
import io.damselfly.protocol.DfgetExit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {
  @TempDir Path dir;

  @Test
  void theTemporaryFileIsHiddenNextToTheOutputAndTheOutputIsNotCreated() throws IOException {
    Path output = dir.resolve("image.tar");
    OutputFile out = OutputFile.prepare(output.toString());

    assertThat(out.output()).isEqualTo(output);
    assertThat(out.temp().getParent()).isEqualTo(dir);
    assertThat(out.temp().getFileName().toString()).startsWith(".image.tar.").endsWith(".tmp");
    assertThat(out.temp()).exists().isEmptyFile();
    assertThat(output).doesNotExist();
  }

  @Test
  void twoDownloadsToOneOutputUseDifferentTemporaryFiles() {
    Path output = dir.resolve("same");
    OutputFile a = OutputFile.prepare(output.toString());
    OutputFile b = OutputFile.prepare(output.toString());
    assertThat(a.temp()).isNotEqualTo(b.temp());
  }

  @Test
  void commitMovesTheBytesOntoTheOutputReplacingAnOldFile() throws IOException {
    Path output = Files.writeString(dir.resolve("f"), "old content");
    OutputFile out = OutputFile.prepare(output.toString());
    Files.writeString(out.temp(), "new");

    out.commit();

    assertThat(output).hasContent("new");
    assertThat(Cluster.namesIn(dir)).containsExactly("f");
  }

  @Test
  void discardLeavesNothingAndKeepsAnOldOutput() throws IOException {
    Path output = Files.writeString(dir.resolve("keep"), "previous");
    OutputFile out = OutputFile.prepare(output.toString());
    Files.writeString(out.temp(), "partial");

    out.discard();
    out.discard();

    assertThat(Cluster.namesIn(dir)).containsExactly("keep");
    assertThat(output).hasContent("previous");
  }

  @Test
  void fillFromTakesACompleteFileWithoutTouchingIt() throws IOException {
    Path complete = Files.writeString(dir.resolve("held"), "verified bytes");
    OutputFile out = OutputFile.prepare(dir.resolve("out").toString());

    out.fillFrom(complete);
    out.commit();

    assertThat(dir.resolve("out")).hasContent("verified bytes");
    assertThat(complete).hasContent("verified bytes");
  }

  @Test
  void truncateEmptiesTheTemporaryFile() throws IOException {
    OutputFile out = OutputFile.prepare(dir.resolve("t").toString());
    Files.writeString(out.temp(), "from a first source");
    out.truncate();
    assertThat(out.temp()).isEmptyFile();
  }

  @Test
  void aMissingDirectoryIsAnOutputError() {
    Path output = dir.resolve("no-such-dir").resolve("f");
    assertFailure(() -> OutputFile.prepare(output.toString()), DfgetExit.OUTPUT_ERROR, "does not exist");
    assertThat(dir.resolve("no-such-dir")).doesNotExist();
  }

  @Test
  void anOutputThatIsADirectoryIsAnOutputError() throws IOException {
    Path output = Files.createDirectory(dir.resolve("a-dir"));
    assertFailure(() -> OutputFile.prepare(output.toString()), DfgetExit.OUTPUT_ERROR, "is a directory");
    assertThat(Cluster.namesIn(dir)).containsExactly("a-dir");
  }

  @Test
  void aMissingOutputIsAUsageError() {
    assertFailure(() -> OutputFile.prepare(" "), DfgetExit.USAGE, "output must be given");
    assertFailure(() -> OutputFile.prepare(null), DfgetExit.USAGE, "output must be given");
  }

  @Test
  void relativeAndInvalidOutputsAreUsageErrors() {
    // a relative path would resolve against the node's working directory, not the caller's
    assertFailure(() -> OutputFile.prepare("../../out.bin"), DfgetExit.USAGE, "absolute path");
    assertFailure(() -> OutputFile.prepare("out.bin"), DfgetExit.USAGE, "absolute path");
    assertFailure(() -> OutputFile.prepare(dir + "/a\u0000b"),
        DfgetExit.USAGE, "not a valid path");
  }

  private static void assertFailure(ThrowingCallable call, DfgetExit exit, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(DownloadFailure.class, f -> assertThat(f.exit()).isEqualTo(exit))
        .hasMessageContaining(message);
  }
}
