package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.DfgetExit;
import io.damselfly.testing.OriginServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ~} is {@code $HOME} for every program, and a uid without a passwd entry (a container's or OpenShift's
 * arbitrary uid, for which Java's {@code user.home} is {@code ?}) works with {@code $HOME} and gets a clear error
 * without it. The real jars run as uid {@value #UID} through {@code setpriv}, which needs root (as bin/test runs).
 */
class HomesTest {
  /** A uid and gid no passwd or group entry has. */
  static final int UID = 54321;
  private static final Duration LIMIT = Duration.ofMinutes(2);

  private Path dir;
  private Path home;
  private Path logs;

  @BeforeEach
  void dirs() throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError("HomesTest runs the jars as another uid with setpriv, which needs root: run bin/test"
          + " as root");
    }
    assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain(":" + UID + ":");
    // a directory every uid can enter, with a home owned by the test uid in it
    dir = Files.createTempDirectory("damselfly-homes");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    home = Files.createDirectory(dir.resolve("home"));
    chown(home);
    logs = Files.createDirectory(dir.resolve("logs"));
  }

  @AfterEach
  void cleanUp() throws IOException {
    Reaper.stopNode(home.resolve(".small-dragonfly"), Duration.ofSeconds(10));
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void supernodeOfAUidWithoutPasswdEntryWritesUnderHome() throws Exception {
    try (Proc p = Proc.startReady(asTestUid("supernode", true, Jars.supernode(),
        List.of("--port", "0", "--download-port", "0", "--bind", "127.0.0.1")),
        Pattern.compile("supernode ready api=\\d+"), LIMIT).proc()) {
      assertThat(home.resolve(".small-dragonfly/logs/supernode.log")).isRegularFile();
      assertThat(home.resolve(".small-dragonfly/supernode")).isDirectory();
    }
  }

  @Test
  void dfdaemonOfAUidWithoutPasswdEntryWritesUnderHome() throws Exception {
    try (Proc p = Proc.startReady(asTestUid("dfdaemon", true, Jars.dfdaemon(),
        List.of("--port", "0", "--upload-port", "0")), Pattern.compile("dfdaemon ready port=\\d+"), LIMIT).proc()) {
      assertThat(home.resolve(".small-dragonfly/dfdaemon/logs/dfdaemon.log")).isRegularFile();
    }
  }

  @Test
  void dfgetAndItsNodeOfAUidWithoutPasswdEntryWorkUnderHome() throws Exception {
    Path file = dir.resolve("origin.bin");
    byte[] bytes = new byte[300_000];
    new Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Path out = home.resolve("copy.bin");
    try (OriginServer origin = OriginServer.start().serve("/f.bin", file)) {
      Proc p = Proc.start(asTestUid("dfget", true, Jars.dfget(),
          List.of("-u", origin.url("/f.bin"), "-o", out.toString(), "--no-daemon", "--keepalive", "20s")));
      Dfget.Result r = Dfget.await(p);
      assertThat(r.exitCode()).as("%s", r).isZero();
    }
    assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
    assertThat(home.resolve(".small-dragonfly/data")).isDirectory();
    assertThat(home.resolve(".small-dragonfly/logs/dfget-server.log")).isRegularFile();
    assertThat(Files.getOwner(home.resolve(".small-dragonfly/data")).getName()).isEqualTo(Integer.toString(UID));
  }

  @Test
  void withoutHomeAnywhereDfgetSaysWhatToSet() throws Exception {
    Proc p = Proc.start(asTestUid("dfget-nohome", false, Jars.dfget(),
        List.of("-u", "http://127.0.0.1:9/f.bin", "-o", home.resolve("f.bin").toString())));
    Dfget.Result r = Dfget.await(p);

    assertThat(r.exitCode()).as("%s", r).isEqualTo(DfgetExit.USAGE.code());
    assertThat(r.stderr()).contains("$HOME").contains("--home");
    try (Stream<Path> left = Files.list(home)) {
      assertThat(left).as("nothing written, no directory named '?'").isEmpty();
    }
  }

  @Test
  void withoutHomeAnywhereSupernodeSaysWhatToSet() throws Exception {
    Proc p = Proc.start(asTestUid("supernode-nohome", false, Jars.supernode(), List.of("--port", "0")));
    int code = p.awaitExit(LIMIT);

    assertThat(code).as("%s", p.describe()).isEqualTo(2);
    assertThat(p.stderr()).contains("$HOME").contains("--home");
  }

  @Test
  void homeWinsOverThePasswdHome() throws Exception {
    // root has a passwd home; $HOME still decides
    List<String> cmd = new ArrayList<>(java());
    cmd.addAll(List.of("-jar", Jars.supernode().toString(), "--port", "0", "--download-port", "0",
        "--bind", "127.0.0.1"));
    Launch launch = new Launch("supernode-root", cmd, Map.of("HOME", dir.toString()), logs);
    try (Proc p = Proc.startReady(launch, Pattern.compile("supernode ready api=\\d+"), LIMIT).proc()) {
      assertThat(dir.resolve(".small-dragonfly/logs/supernode.log")).isRegularFile();
    }
  }

  /** {@code jar args} as uid {@value #UID} (no passwd entry), with {@code HOME} set to the home or unset. */
  private Launch asTestUid(String name, boolean withHome, Path jar, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
        "env", "-u", "HOME", "DAMSELFLY_CONF=" + dir.resolve("none.conf")));
    if (withHome) {
      cmd.add("HOME=" + home);
    }
    cmd.addAll(java());
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    return new Launch(name, cmd, Map.of(), logs);
  }

  private static List<String> java() {
    List<String> cmd = new ArrayList<>(List.of(Launch.javaExecutable().toString()));
    if (Runtime.version().feature() >= 24) {
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    return cmd;
  }

  private static void chown(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", UID);
    Files.setAttribute(p, "unix:gid", UID);
  }
}
