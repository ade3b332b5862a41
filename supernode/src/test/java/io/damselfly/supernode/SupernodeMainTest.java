package io.damselfly.supernode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SupernodeMainTest {
  @TempDir Path home;

  @Test
  void aPieceSizeFloorThatIsNoPowerOfTwoIsRefusedBeforeAnythingStarts() {
    assertThat(run("--min-piece-size", "3M")).isEqualTo("supernode: error: --min-piece-size must be a power of two "
        + "from 64K to 16M, such as 256K or 4M, got 3145728 bytes");
    assertThat(run("--min-piece-size", "32M")).contains("--min-piece-size must be a power of two from 64K to 16M");
    assertThat(run("--min-piece-size", "lots")).contains("--min-piece-size must be a size such as 20M");
  }

  @Test
  void theFloorIsFourMebibytesUnlessToldOtherwise() {
    assertThat(SupernodeConfig.defaults(home).minPieceSize()).isEqualTo(4 << 20);
    assertThat(SupernodeConfig.defaults(home).withMinPieceSize(256 << 10).minPieceSize()).isEqualTo(256 << 10);
  }

  /** Runs the supernode's command line, which must end with exit code 2; returns what it printed on stderr. */
  private String run(String... flags) {
    String[] args = new String[flags.length + 6];
    System.arraycopy(new String[] {"--home", home.toString(), "--port", "0", "--download-port", "0"}, 0, args, 0, 6);
    System.arraycopy(flags, 0, args, 6, flags.length);
    PrintStream before = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = new CommandLine(new SupernodeMain()).execute(args);
    } finally {
      System.setErr(before);
    }
    assertThat(code).as("exit code of %s", String.join(" ", flags)).isEqualTo(2);
    return err.toString(StandardCharsets.UTF_8).strip();
  }
}
