package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/java.sh picks a JDK 21+ or fails clearly, with fake JDKs whose {@code release} file names a chosen
 * version; their java, if ever run, leaves a mark: finding the JDK must start no JVM.
 */
class JavaShTest {
  private static final Path JAVA_SH = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/java.sh");
  @TempDir Path dir;
  Path jvms;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    jvms = Files.createDirectories(dir.resolve("jvm"));
  }

  private Path fakeJdk(Path parent, String name, String javaVersion) throws IOException {
    Path bin = Files.createDirectories(parent.resolve(name).resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$0\" >>'" + ran() + "'\necho 'version \"" + javaVersion + "\"' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(parent.resolve(name).resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + javaVersion
        + "\"\nJAVA_RUNTIME_VERSION=\"" + javaVersion + "+1\"\n");
    return parent.resolve(name);
  }

  private Path ran() {
    return dir.resolve("ran");
  }

  private Result source(Map<String, String> env, String then) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; source \"$1\"; " + then, "test",
        JAVA_SH.toString());
    pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    int exit = pb.start().waitFor();
    return new Result(exit, Files.readString(dir.resolve("out"), StandardCharsets.UTF_8).strip(),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  @Test
  void oldJavaHomeIsPassedOverForTheNewestJdkInTheJvmDirectory() throws Exception {
    Path old = fakeJdk(dir, "old-home", "17.0.2");
    fakeJdk(jvms, "java-8", "1.8.0_292");
    fakeJdk(jvms, "jdk-21", "21.0.5");
    Path newest = fakeJdk(jvms, "jdk-26", "26-ea");
    fakeJdk(jvms, "jdk-11", "11.0.2");
    Result r = source(Map.of("JAVA_HOME", old.toString(), "DAMSELFLY_JVM_DIR", jvms.toString()),
        "echo \"$JAVA_HOME|$JAVA|$DAMSELFLY_JAVA_MAJOR|$DAMSELFLY_JAVA_VERSION\"");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(newest + "|" + newest.resolve("bin/java") + "|26|26-ea");
    assertThat(ran()).as("no java was run to find the JDK").doesNotExist();
  }

  @Test
  void noJdk21AnywhereFailsWithAClearMessage() throws Exception {
    Path old = fakeJdk(dir, "old-home", "17.0.2");
    fakeJdk(jvms, "java-8", "1.8.0_292");
    Path oldOnPath = fakeJdk(dir, "old-on-path", "11.0.20");
    Result r = source(Map.of("JAVA_HOME", old.toString(), "DAMSELFLY_JVM_DIR", jvms.toString(),
        "PATH", oldOnPath.resolve("bin") + ":/usr/bin:/bin"), "echo reached");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Damselfly needs a JDK 21 or newer; set JAVA_HOME");
    assertThat(ran()).doesNotExist();
  }

  @Test
  void javaOnPathIsTheLastResort() throws Exception {
    Path onPath = fakeJdk(dir, "path-jdk", "22.0.1");
    Result r = source(Map.of("DAMSELFLY_JVM_DIR", jvms.toString(), "PATH", onPath.resolve("bin") + ":/usr/bin:/bin"),
        "echo \"$JAVA\"");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(onPath.resolve("bin/java").toString());
    assertThat(ran()).doesNotExist();
  }

  @Test
  void aJdkWithoutReleaseFileIsPassedOver() throws Exception {
    Path bare = fakeJdk(jvms, "jdk-30", "30");
    Files.delete(bare.resolve("release"));
    Path good = fakeJdk(jvms, "jdk-21", "21.0.5");
    Result r = source(Map.of("DAMSELFLY_JVM_DIR", jvms.toString()), "echo \"$JAVA_HOME\"");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(good.toString());
  }

  @Test
  void aGoodJavaHomeWins() throws Exception {
    String real = System.getProperty("java.home");
    fakeJdk(jvms, "jdk-99", "99");
    Result r = source(Map.of("JAVA_HOME", real, "DAMSELFLY_JVM_DIR", jvms.toString()),
        "echo \"$JAVA\"; \"$JAVA\" -version");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(real + "/bin/java");
    assertThat(r.err()).contains("version \"" + Runtime.version().feature());
  }

  @Test
  void launcherWithoutItsJarSaysToBuild() throws Exception {
    Result r = source(Map.of("JAVA_HOME", System.getProperty("java.home")),
        "damselfly_run_jar dfget \"" + dir.resolve("missing.jar") + "\" -Xshare:auto -- --version");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("dfget: " + dir.resolve("missing.jar") + " is missing; run bin/build first");
  }

  @Test
  void aCacheIsNamedByItsJarAndTheJdkAndUsedOnlyWhenThere() throws Exception {
    Path jar = Files.writeString(Files.createDirectories(dir.resolve("lib")).resolve("a.jar"), "one build");
    boolean aot = Runtime.version().feature() >= 24;
    String name = "damselfly_cache_file dfget \"" + jar + "\"";
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
    String first = source(env, name).out();
    assertThat(first).matches(java.util.regex.Pattern.quote(dir.resolve("lib/cache/dfget-").toString()) + "\\d+\\."
        + (aot ? "aot" : "jsa"));
    assertThat(source(env, "damselfly_cache_file dfget-server \"" + jar + "\"").out()).isNotEqualTo(first)
        .contains("/dfget-server-");
    Files.writeString(jar, "another build");
    assertThat(source(env, name).out()).as("a changed jar has another cache").isNotEqualTo(first);

    String flags = "damselfly_cache_flags dfget \"" + jar + "\"; printf '%s\\n' \"${DAMSELFLY_CACHE_FLAGS[@]}\"";
    if (aot) {
      assertThat(source(env, flags).out()).as("no cache file yet").doesNotContain("AOTCache")
          .contains("-Xlog:all=warning:stderr");
    }
    Path cache = Path.of(source(env, name).out());
    Files.createDirectories(cache.getParent());
    Files.writeString(cache, "x");
    assertThat(source(env, flags).out()).contains(aot ? "-XX:AOTCache=" + cache : "-XX:SharedArchiveFile=" + cache,
        "-XX:+VerifySharedSpaces");
    assertThat(source(Map.of("JAVA_HOME", System.getProperty("java.home"), "DAMSELFLY_CACHE", "off"), flags).out())
        .doesNotContain("AOTCache").doesNotContain("SharedArchiveFile");
  }
}
