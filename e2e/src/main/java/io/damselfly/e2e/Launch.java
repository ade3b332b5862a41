package io.damselfly.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to start: a name (for log files and messages), the command, extra environment and where its
 * stdout and stderr go ({@code logDir/name.out}, {@code logDir/name.err}).
 */
public record Launch(String name, List<String> command, Map<String, String> env, Path logDir) {
  public Launch {
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', got " + name);
    }
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command must name a program, got " + command);
    }
    if (logDir == null) {
      throw new IllegalArgumentException("logDir must be given");
    }
    command = List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** {@code java -jar jar args...} with the JDK running this harness. */
  public static Launch jar(String name, Path jar, List<String> args, Map<String, String> env, Path logDir) {
    return jar(name, jar, List.of(), args, env, logDir);
  }

  /** {@code java jvmOptions... -jar jar args...} with the JDK running this harness. */
  public static Launch jar(String name, Path jar, List<String> jvmOptions, List<String> args,
      Map<String, String> env, Path logDir) {
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("jar must be a built file, got " + jar
          + " (build it first: bin/build, or ./mvnw verify builds it before the e2e tests)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable().toString());
    if (Runtime.version().feature() >= 24) {
      // as bin/lib/java.sh: Netty still uses sun.misc.Unsafe, which newer JDKs warn about on stderr
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    cmd.addAll(args);
    return new Launch(name, cmd, env, logDir);
  }

  /** {@code java -cp <this JVM's class path> mainClass args...}, for helpers such as an origin. */
  public static Launch mainClass(String name, String mainClass, List<String> args, Path logDir) {
    List<String> cmd = new ArrayList<>(List.of(javaExecutable().toString(), "-cp",
        System.getProperty("java.class.path"), mainClass));
    cmd.addAll(args);
    return new Launch(name, cmd, Map.of(), logDir);
  }

  /** The {@code java} launcher of the JDK running this JVM. */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  Path stdoutFile() {
    return logDir.resolve(name + ".out");
  }

  Path stderrFile() {
    return logDir.resolve(name + ".err");
  }
}
