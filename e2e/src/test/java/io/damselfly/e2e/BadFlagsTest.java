package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.DfgetExit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad command lines exit 2 with a message naming the problem, and write nothing: no output, no log. */
class BadFlagsTest {
  /** Nothing listens here: a bad flag must be refused before any connection is tried. */
  private static final String URL = "http://127.0.0.1:9/f.bin";

  @TempDir Path dir;
  private Sandbox sandbox;

  @BeforeEach
  void newHost() throws Exception {
    sandbox = Sandbox.in(dir);
  }

  @AfterEach
  void stopHost() {
    sandbox.close();
  }

  static Stream<Arguments> badCommandLines() {
    return Stream.of(
        Arguments.of(List.of("--pattern", "bittorrent"), "pattern"),
        Arguments.of(List.of("--locallimit", "lots"), "locallimit"),
        Arguments.of(List.of("--totallimit", "-5M"), "totallimit"),
        Arguments.of(List.of("--timeout", "soon"), "timeout"),
        Arguments.of(List.of("--digest", "sha256:not-hex"), "sha256"),
        Arguments.of(List.of("--md5", "xyz"), "md5"),
        Arguments.of(List.of("--header", "no colon here"), "header"),
        Arguments.of(List.of("--no-such-flag"), "no-such-flag"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCommandLines")
  void aBadValueExitsTwoNamingIt(List<String> flags, String named) throws Exception {
    Path out = sandbox.dir("out").resolve("f.bin");
    List<String> args = new ArrayList<>(List.of("--url", URL, "--output", out.toString(), "--notbs"));
    args.addAll(flags);

    Dfget.Result r = new Dfget(Jars.dfget(), sandbox).run("host", args);

    assertThat(r.exitCode()).as("%s", r).isEqualTo(DfgetExit.USAGE.code());
    assertThat(r.stderr()).as("%s", r).containsIgnoringCase(named);
    assertThat(out.getParent()).isEmptyDirectory();
    assertThat(sandbox.homeOf("host")).as("no node, data or log for a refused command line").isEmptyDirectory();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingUrl")
  void aMissingUrlExitsTwo(List<String> args) throws Exception {
    Dfget.Result r = new Dfget(Jars.dfget(), sandbox).run("host", args);

    assertThat(r.exitCode()).as("%s", r).isEqualTo(DfgetExit.USAGE.code());
    assertThat(r.stderr()).as("%s", r).containsIgnoringCase("url");
  }

  static Stream<Arguments> missingUrl() {
    return Stream.of(Arguments.of(List.of()), Arguments.of(List.of("--url", "ftp://example/f.bin")));
  }
}
