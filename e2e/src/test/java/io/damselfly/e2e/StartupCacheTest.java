package io.damselfly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The launchers' start-up caches, in an installation of the real launchers and jars trained by the real
 * bin/lib/train-caches: a launcher uses its cache and keeps the JVM's cache messages off stdout, ignores a damaged
 * cache, does not use a stale one (after its jar changed) and rebuilds it in the background, and works with its
 * cache for a uid without a passwd entry. Each dfget here downloads a real file and is checked byte for byte.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupCacheTest {
  private static final Duration LIMIT = Duration.ofMinutes(5);
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static Path install;
  private static Path file;
  private static OriginServer origin;
  private Path home;
  private Path aotLog;

  @BeforeAll
  static void installAndTrain() throws Exception {
    install = Files.createTempDirectory("damselfly-install");
    Files.setPosixFilePermissions(install, PosixFilePermissions.fromString("rwxr-xr-x"));
    copyTree(REPO.resolve("bin"), install.resolve("bin"));
    copy(Jars.dfget(), install.resolve("cli/target/damselfly-dfget.jar"));
    copy(Jars.supernode(), install.resolve("supernode/target/damselfly-supernode.jar"));
    copy(Jars.dfdaemon(), install.resolve("dfdaemon/target/damselfly-dfdaemon.jar"));
    // the training's origin runs from e2e/target/lib: this JVM's class path has the testing jar and its libraries
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
        copy(p, install.resolve("e2e/target/lib").resolve(p.getFileName()));
      }
    }
    Run train = run(List.of(install.resolve("bin/lib/train-caches").toString()), Map.of(), null);
    assertThat(train.code()).as("%s", train).isZero();
    assertThat(caches("cli", "dfget")).hasSize(1);
    assertThat(caches("cli", "dfget-server")).hasSize(1);
    assertThat(caches("supernode", "supernode")).hasSize(1);
    assertThat(caches("dfdaemon", "dfdaemon")).hasSize(1);
    file = install.resolve("origin.bin");
    TestFiles.write(file, 2 << 20, 21);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    origin = OriginServer.start().serve("/f.bin", file);
  }

  @AfterAll
  static void removeInstall() throws IOException {
    if (origin != null) {
      origin.close();
    }
    try (Stream<Path> all = Files.walk(install)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @BeforeEach
  void newHome() throws IOException {
    home = Files.createTempDirectory(install, "home");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
    aotLog = home.resolve("aot.log");
  }

  @AfterEach
  void stopNode() {
    Reaper.stopNode(home.resolve("dfget"), Duration.ofSeconds(10));
  }

  @Test
  @Order(1)
  void theLaunchersUseTheirCachesAndKeepTheCacheMessagesOffStdout() throws Exception {
    Run r = dfget("one.bin", Map.of());

    assertDownloaded(r, "one.bin");
    assertThat(Files.readString(aotLog)).contains("Opened AOT cache " + caches("cli", "dfget").getFirst());
    long node = Long.parseLong(Files.readString(home.resolve("dfget/data/node.json"))
        .replaceAll(".*\"pid\":(\\d+).*", "$1").strip());
    assertThat(ProcessHandle.of(node).flatMap(h -> h.info().commandLine()).orElse(""))
        .as("the node dfget started uses its own cache, with both compilers")
        .contains("-XX:AOTCache=" + caches("cli", "dfget-server").getFirst()).doesNotContain("TieredStopAtLevel");

    Run supernode = run(List.of(install.resolve("bin/supernode").toString(), "--version"),
        Map.of("DAMSELFLY_JAVA_OPTS", "-Xlog:aot=info:file=" + home.resolve("sn-aot.log")), null);
    assertThat(supernode.code()).as("%s", supernode).isZero();
    assertThat(supernode.stdout().strip()).doesNotContain("AOT").doesNotContain("aot");
    assertThat(Files.readString(home.resolve("sn-aot.log"))).contains("Opened AOT cache");
  }

  @Test
  @Order(2)
  void aDamagedCacheIsIgnoredAndTheLauncherStillWorks() throws Exception {
    Path cache = caches("cli", "dfget").getFirst();
    Path saved = install.resolve("saved.aot");
    Files.copy(cache, saved, StandardCopyOption.REPLACE_EXISTING);
    try {
      damage(cache);
      Run r = dfget("damaged.bin", Map.of());

      assertDownloaded(r, "damaged.bin");
      assertThat(Files.readString(aotLog)).as("the JVM checked the cache and refused it")
          .contains("Checksum verification failed");
      assertThat(r.stderr()).doesNotContain("AOT cache");
    } finally {
      Files.move(saved, cache, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  @Order(3)
  void aUidWithoutPasswdEntryRunsTheLauncherWithItsCache() throws Exception {
    Run r = run(asTestUid(dfgetCommand("uid.bin")), Map.of(), home);

    assertDownloaded(r, "uid.bin");
    assertThat(Files.readString(aotLog)).contains("Opened AOT cache " + caches("cli", "dfget").getFirst());
  }

  @Test
  @Order(4)
  void aStaleCacheIsNotUsedAndIsRebuiltInTheBackground() throws Exception {
    Path old = caches("cli", "dfget").getFirst();
    addEntry(install.resolve("cli/target/damselfly-dfget.jar"), "stale-test.txt"); // a new build of the jar

    Run r = dfget("stale.bin", Map.of());

    assertDownloaded(r, "stale.bin");
    assertThat(Files.readString(aotLog)).as("no cache of the old jar is used").doesNotContain("Opened AOT cache");
    Instant deadline = Instant.now().plus(LIMIT);
    while (Instant.now().isBefore(deadline) && (Files.exists(old) || caches("cli", "dfget").isEmpty()
        || Files.exists(install.resolve("cli/target/cache/.training")))) {
      Thread.sleep(500);
    }
    assertThat(caches("cli", "dfget")).as("rebuilt for the new jar, the old one removed").singleElement()
        .isNotEqualTo(old);
    Files.delete(aotLog);
    assertDownloaded(dfget("fresh.bin", Map.of()), "fresh.bin");
    assertThat(Files.readString(aotLog)).contains("Opened AOT cache " + caches("cli", "dfget").getFirst());
  }

  private void assertDownloaded(Run r, String name) throws IOException {
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.stdout().lines().toList()).as("stdout holds the summary line only").singleElement().asString()
        .startsWith("dfget: downloaded 2.0 MiB");
    assertThat(Files.mismatch(home.resolve(name), file)).isEqualTo(-1);
  }

  private Run dfget(String output, Map<String, String> env) throws Exception {
    return run(dfgetCommand(output), env, home);
  }

  private List<String> dfgetCommand(String output) {
    return List.of(install.resolve("bin/dfget").toString(), "-u", origin.url("/f.bin"), "-o",
        home.resolve(output).toString(), "--home", home.resolve("dfget").toString(), "--no-daemon",
        "--keepalive", "30s");
  }

  private List<String> asTestUid(List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + HomesTest.UID, "--regid=" + HomesTest.UID,
        "--clear-groups", "env", "HOME=" + home, "DAMSELFLY_JAVA_OPTS=-Xlog:aot=info:file=" + aotLog));
    cmd.addAll(command);
    return cmd;
  }

  record Run(int code, String stdout, String stderr) {}

  private static Run run(List<String> command, Map<String, String> env, Path home) throws Exception {
    Path dir = home != null ? home : install;
    Path out = Files.createTempFile(dir, "run", ".out");
    Path err = Files.createTempFile(dir, "run", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("DAMSELFLY_CONF", install.resolve("none.conf").toString());
    if (home != null) {
      pb.environment().put("DAMSELFLY_JAVA_OPTS", "-Xlog:aot=info:file=" + home.resolve("aot.log"));
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not end within " + LIMIT);
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<Path> caches(String module, String name) throws IOException {
    Path dir = install.resolve(module).resolve("target/cache");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-\\d+\\.aot"))
          .toList();
    }
  }

  /** Overwrites 64 bytes in the middle of {@code cache}. */
  private static void damage(Path cache) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(cache, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[64]), Files.size(cache) / 2);
    }
  }

  /** Rewrites {@code jar} with one more entry: the same program, a different jar. */
  private static void addEntry(Path jar, String name) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".new");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry(name));
      out.write("a later build\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          copy(p, target);
        }
      }
    }
  }
}
