package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad flag or value: one clear line naming the flag, the right exit code, nothing written. */
class DfgetUsageTest {
  private static final String URL = "http://127.0.0.1:9/file.bin";
  @TempDir Path cwd;

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(List.of(), "--url is required"),
        Arguments.of(List.of("-u", "ftp://h/f"), "--url must start with http:// or https://"),
        Arguments.of(List.of("-u", "http://"), "--url"),
        Arguments.of(List.of("-u", "http://h/has space"), "--url is not a valid URL"),
        Arguments.of(List.of("-u", URL, "--bogus"), "Unknown option: '--bogus'"),
        Arguments.of(List.of("-u", URL, "--md5", "xyz"), "--md5 must be 32 hex digits"),
        Arguments.of(List.of("-u", URL, "--digest", "sha1:abcd"), "--digest must be sha256:"),
        Arguments.of(List.of("-u", URL, "--digest", "sha256:" + "a".repeat(63)), "--digest must be sha256:"),
        Arguments.of(List.of("-u", URL, "--md5", "a".repeat(32), "--digest", "md5:" + "a".repeat(32)),
            "either --md5 or --digest"),
        Arguments.of(List.of("-u", URL, "--locallimit", "10 apples"), "--locallimit must be a size"),
        Arguments.of(List.of("-u", URL, "-s", "-1"), "--locallimit must be a size"),
        Arguments.of(List.of("-u", URL, "--totallimit", "x"), "--totallimit must be a size"),
        Arguments.of(List.of("-u", URL, "--upload-limit", "x"), "--upload-limit must be a size"),
        Arguments.of(List.of("-u", URL, "--timeout", "later"), "--timeout must be a number of seconds"),
        Arguments.of(List.of("-u", URL, "--keepalive", "1d"), "--keepalive must be a number of seconds"),
        Arguments.of(List.of("-u", URL, "--pattern", "torrent"), "--pattern must be p2p, cdn or source"),
        Arguments.of(List.of("-u", URL, "--node", "sn:port"), "--node must list supernodes"),
        Arguments.of(List.of("-u", URL, "--header", "no colon"), "--header must look like 'Name: value'"),
        Arguments.of(List.of("-u", URL, "--daemon-port", "70000"), "--daemon-port must be in [1, 65535]"),
        Arguments.of(List.of("-u", URL, "--daemon-port", "abc"), "'--daemon-port'"),
        Arguments.of(List.of("-u", URL, "--advertise-ip", "a b"), "--advertise-ip must be"),
        Arguments.of(List.of("-u", "http://h/dir/"), "--output must be given"),
        Arguments.of(List.of("-u", URL, "--output"), "'--output'"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void badInputIsExit2WithOneClearLineAndNothingWritten(List<String> args, String expected) throws Exception {
    CliRun run = run(args);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("dfget: error: ").contains(expected);
    assertThat(run.out()).isEmpty();
    assertNothingWritten();
  }

  @Test
  void missingOutputDirectoryIsExit7() throws Exception {
    CliRun run = run(List.of("-u", URL, "-o", "missing/dir/out.bin"));
    assertThat(run.exit()).isEqualTo(7);
    assertThat(run.err()).startsWith("dfget: error: --output directory").contains("does not exist");
    assertNothingWritten();
  }

  @Test
  void outputThatIsADirectoryIsExit7() throws Exception {
    Files.createDirectory(cwd.resolve("file.bin"));
    CliRun run = run(List.of("-u", URL));
    assertThat(run.exit()).isEqualTo(7);
    assertThat(run.err()).contains("is a directory");
  }

  @Test
  void noSupernodeAnywhereWithNotbsIsExit4() throws Exception {
    CliRun run = run(List.of("-u", URL, "--notbs"));
    assertThat(run.exit()).isEqualTo(4);
    assertThat(run.err()).startsWith("dfget: error: no supernode is configured").contains("--notbs");
    assertNothingWritten();
  }

  @Test
  void badConfigFileIsExit2NamingTheFile() throws Exception {
    Path conf = Files.writeString(cwd.resolve("sys.conf"), "[node]\naddress=host:99999\n");
    CliRun run = CliRun.run(cwd, Map.of(CliEnv.CONF_VARIABLE, conf.toString()), "-u", URL, "--home", "home");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(conf.toString());
    assertThat(cwd.resolve("home")).doesNotExist();
  }

  @Test
  void helpAndVersionExit0() throws Exception {
    CliRun help = run(List.of("--help"));
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--url", "--locallimit", "--totallimit", "--notbs", "--showbar", "--filter",
        "--header", "--node", "--pattern", "--dfdaemon", "--no-daemon", "Exit codes").doesNotContain("--detached");
    CliRun version = run(List.of("--version"));
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("dfget ");
    CliRun serverHelp = server("server", "--help");
    assertThat(serverHelp.exit()).isZero();
    assertThat(serverHelp.out()).contains("--keepalive", "--upload-limit", "--detached");
  }

  @Test
  void serverRejectsBadValuesWithExit2() throws Exception {
    CliRun run = server("server", "--home", "home", "--keepalive", "forever");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("dfget: error: --keepalive");
    CliRun port = server("server", "--home", "home", "--port", "-3");
    assertThat(port.exit()).isEqualTo(2);
    assertThat(port.err()).contains("--port must be in [0, 65535]");
    assertNothingWritten();
  }

  /** Runs dfget with a home under the working directory, no dfdaemon and no system config. */
  private CliRun run(List<String> args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--home", "home", "--no-daemon"));
    all.addAll(args);
    return CliRun.run(cwd, Map.of(CliEnv.CONF_VARIABLE, cwd.resolve("no-such.conf").toString()),
        all.toArray(String[]::new));
  }

  private CliRun server(String... args) throws InterruptedException {
    return CliRun.run(cwd, Map.of(), args);
  }

  private void assertNothingWritten() throws IOException {
    try (Stream<Path> files = Files.list(cwd)) {
      assertThat(files.filter(p -> !p.getFileName().toString().endsWith(".conf")).toList())
          .as("files in the working directory").isEmpty();
    }
  }
}
