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

/** bin/lib/java.sh picks a JDK 21+ or fails clearly, with fake JDKs whose java prints a chosen version. */
class JavaShTest {
  private static final Path JAVA_SH = Path.of("").toAbsolutePath().getParent().resolve("bin/lib/java.sh");
  @TempDir Path dir;
  Path jvms;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    jvms = Files.createDirectories(dir.resolve("jvm"));
  }

  private Path fakeJdk(Path parent, String name, String versionLine) throws IOException {
    Path bin = Files.createDirectories(parent.resolve(name).resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\necho 'Runtime Environment' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return parent.resolve(name);
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
    Path old = fakeJdk(dir, "old-home", "openjdk version \"17.0.2\" 2022-01-18");
    fakeJdk(jvms, "java-8", "java version \"1.8.0_292\"");
    fakeJdk(jvms, "jdk-21", "openjdk version \"21.0.5\" 2024-10-15 LTS");
    Path newest = fakeJdk(jvms, "jdk-26", "openjdk version \"26-ea\" 2026-03-17");
    fakeJdk(jvms, "jdk-11", "openjdk version \"11.0.2\"");
    Result r = source(Map.of("JAVA_HOME", old.toString(), "DAMSELFLY_JVM_DIR", jvms.toString()),
        "echo \"$JAVA_HOME|$JAVA|$DAMSELFLY_JAVA_MAJOR\"");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(newest + "|" + newest.resolve("bin/java") + "|26");
  }

  @Test
  void noJdk21AnywhereFailsWithAClearMessage() throws Exception {
    Path old = fakeJdk(dir, "old-home", "openjdk version \"17.0.2\" 2022-01-18");
    fakeJdk(jvms, "java-8", "java version \"1.8.0_292\"");
    Path oldOnPath = fakeJdk(dir, "old-on-path", "openjdk version \"11.0.20\"");
    Result r = source(Map.of("JAVA_HOME", old.toString(), "DAMSELFLY_JVM_DIR", jvms.toString(),
        "PATH", oldOnPath.resolve("bin") + ":/usr/bin:/bin"), "echo reached");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Damselfly needs a JDK 21 or newer; set JAVA_HOME");
  }

  @Test
  void javaOnPathIsTheLastResort() throws Exception {
    Path onPath = fakeJdk(dir, "path-jdk", "openjdk version \"22.0.1\" 2024-04-16");
    Result r = source(Map.of("DAMSELFLY_JVM_DIR", jvms.toString(), "PATH", onPath.resolve("bin") + ":/usr/bin:/bin"),
        "echo \"$JAVA\"");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(onPath.resolve("bin/java").toString());
  }

  @Test
  void aGoodJavaHomeWins() throws Exception {
    String real = System.getProperty("java.home");
    fakeJdk(jvms, "jdk-99", "openjdk version \"99\"");
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
}
