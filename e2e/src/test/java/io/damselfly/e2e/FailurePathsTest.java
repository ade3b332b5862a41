package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * dfget's exit codes and its promise that a failed download leaves nothing at the output (no file, no
 * temporary file), and the patterns cdn and source. One origin, one supernode and one host (a home whose
 * background node serves every download of the class, as on a real machine) serve the class; every test
 * has its own output directory and its own origin path, so its task is its own.
 */
class FailurePathsTest {
  /** Not a multiple of the piece size: the last piece is short. */
  private static final long SIZE = (3L << 20) + 12_345;
  private static final String WRONG_MD5 = "0".repeat(32);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path classDir;
  private static Stage stage;
  private static OriginServer origin;
  private static SupernodeProcess supernode;
  private static Dfget dfget;
  private static Path file;
  private static Digest sha256;

  @TempDir Path outDir;

  @BeforeAll
  static void startOriginAndSupernode() throws Exception {
    file = classDir.resolve("f.bin");
    sha256 = TestFiles.write(file, SIZE, 7);
    stage = Stage.start(classDir.resolve("run"));
    origin = stage.origin();
    supernode = stage.supernode();
    dfget = stage.dfget();
  }

  @AfterAll
  static void stopOriginAndSupernode() {
    if (stage != null) {
      stage.close();
    }
  }

  private String serve(String path) {
    origin.serve(path, file);
    return origin.url(path);
  }

  private Dfget.Result get(String url, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--url", url, "--output", outDir.resolve("f.bin").toString()));
    args.addAll(List.of(more));
    return dfget.run("host", args);
  }

  private void assertDownloaded(Dfget.Result r) throws Exception {
    assertThat(r.exitCode()).as("%s", r).isZero();
    assertThat(r.stdout()).as("%s", r).contains("dfget: downloaded");
    assertThat(TestFiles.sha256(outDir.resolve("f.bin"))).isEqualTo(sha256);
    assertThat(outDir.toFile().list()).as("only the output is left in its directory").containsExactly("f.bin");
  }

  private void assertFailed(Dfget.Result r, DfgetExit exit) {
    assertThat(r.exitCode()).as("%s", r).isEqualTo(exit.code());
    assertThat(r.stderr()).as("an error message on stderr: %s", r).contains("dfget: error: ");
    assertThat(outDir).as("no output and no temporary file after: %s", r).isEmptyDirectory();
  }

  private static String closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void aWrongMd5ExitsThreeAndLeavesNothing() throws Exception {
    Dfget.Result r = get(serve("/md5.bin"), "--node", supernode.node(), "--md5", WRONG_MD5);

    assertFailed(r, DfgetExit.DIGEST_MISMATCH);
    assertThat(r.stderr()).contains(WRONG_MD5);
  }

  @Test
  void theRightMd5Passes() throws Exception {
    String md5 = TestFiles.digest(file, Digest.Algorithm.MD5).hex();

    assertDownloaded(get(serve("/md5-ok.bin"), "--node", supernode.node(), "--md5", md5));
  }

  @Test
  void noSupernodeWithNotbsExitsFourAndLeavesNothing() throws Exception {
    String url = serve("/notbs.bin");

    Dfget.Result r = get(url, "--node", closedPort(), "--notbs");

    assertFailed(r, DfgetExit.NO_SUPERNODE);
    assertThat(origin.requests("/notbs.bin")).as("the origin was not asked").isZero();
  }

  @Test
  void noSupernodeFallsBackToTheOrigin() throws Exception {
    String url = serve("/bts.bin");

    assertDownloaded(get(url, "--node", closedPort()));
    assertThat(origin.bodyBytes("/bts.bin")).isEqualTo(SIZE);
  }

  @Test
  void anOrigin404ExitsFiveWithAClearMessage() throws Exception {
    Dfget.Result r = get(origin.url("/missing.bin"), "--node", supernode.node());

    assertFailed(r, DfgetExit.ORIGIN_ERROR);
    assertThat(r.stderr()).contains("404");
  }

  @Test
  void aTimeoutOnASlowOriginExitsSixAndLeavesNothing() throws Exception {
    String url = serve("/slow.bin");
    origin.fault("/slow.bin", OriginServer.Fault.throttle(32 * 1024));

    Dfget.Result r = get(url, "--node", supernode.node(), "--timeout", "2s");

    assertFailed(r, DfgetExit.TIMEOUT);
  }

  @Test
  void patternCdnDownloadsFromTheSupernodeOnly() throws Exception {
    String url = serve("/cdn.bin");

    assertDownloaded(get(url, "--node", supernode.node(), "--pattern", "cdn"));
    TaskView task = supernode.taskFor(url).orElseThrow();
    assertThat(task.cdnBytes()).as("bytes the supernode sent").isEqualTo(SIZE);
    assertThat(task.peers()).as("a cdn-only peer does not stay to upload").isEmpty();
  }

  @Test
  void patternSourceDownloadsFromTheOriginOnly() throws Exception {
    String url = serve("/source.bin");

    assertDownloaded(get(url, "--node", supernode.node(), "--pattern", "source"));
    assertThat(origin.bodyBytes("/source.bin")).isEqualTo(SIZE);
    assertThat(supernode.taskFor(url)).as("the supernode never heard of it").isEmpty();
  }

  @Test
  void aMissingOutputDirectoryExitsSeven() throws Exception {
    Path out = outDir.resolve("no-such-dir").resolve("f.bin");

    Dfget.Result r = dfget.run("host", List.of("--url", serve("/out.bin"), "--output", out.toString(),
        "--node", supernode.node()));

    assertFailed(r, DfgetExit.OUTPUT_ERROR);
  }
}
