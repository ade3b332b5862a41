package io.damselfly.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the dfget jar as one simulated host: always with its own {@code --home}, {@code --no-daemon}
 * (unless the host's dfdaemon is named), a short {@code --keepalive} for the background peer node, and
 * {@code DAMSELFLY_CONF} pointing at the sandbox's empty config.
 */
public final class Dfget {
  /** dfget's background node serves uploads this long after its last transfer. */
  public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
  private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

  private final Path jar;
  private final Sandbox sandbox;
  private final Duration keepAlive;
  private final Map<String, String> env;
  private final List<String> jvmOptions;

  public Dfget(Path jar, Sandbox sandbox, Duration keepAlive) {
    this(jar, sandbox, keepAlive, Map.of());
  }

  /**
   * @param env extra environment for every dfget, e.g. {@code DAMSELFLY_NODE_JAVA_OPTS} for the nodes
   */
  public Dfget(Path jar, Sandbox sandbox, Duration keepAlive, Map<String, String> env) {
    this(jar, sandbox, keepAlive, env, List.of());
  }

  /**
   * @param jvmOptions JVM flags of every dfget (not of the nodes), e.g. the launcher's fast-start flags and cache
   */
  public Dfget(Path jar, Sandbox sandbox, Duration keepAlive, Map<String, String> env, List<String> jvmOptions) {
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException("keepAlive must be positive, got " + keepAlive);
    }
    this.jar = jar;
    this.sandbox = sandbox;
    this.keepAlive = keepAlive;
    this.env = Map.copyOf(env);
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  public Dfget(Path jar, Sandbox sandbox) {
    this(jar, sandbox, DEFAULT_KEEPALIVE);
  }

  /** Starts dfget for host {@code name} (its home is made in the sandbox) with {@code args}. */
  public Proc start(String name, List<String> args) throws IOException {
    return launch(name, List.of("--no-daemon"), args);
  }

  /** Starts dfget for host {@code name} on a host whose dfdaemon listens on {@code daemonPort}. */
  public Proc startWithDaemon(String name, int daemonPort, List<String> args) throws IOException {
    return launch(name, List.of("--daemon-port", Integer.toString(daemonPort)), args);
  }

  private Proc launch(String name, List<String> nodeChoice, List<String> args) throws IOException {
    Path home = sandbox.home(name);
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(nodeChoice);
    all.addAll(List.of("--keepalive", keepAlive.toMillis() + "ms"));
    all.addAll(args);
    Map<String, String> vars = new HashMap<>(env);
    vars.put("DAMSELFLY_CONF", sandbox.conf().toString());
    return Proc.start(Launch.jar(name, jar, jvmOptions, all, vars, sandbox.logDir()));
  }

  /** Runs dfget to its end (bounded); the process is stopped if the wait fails. */
  public Result run(String name, List<String> args) throws IOException, InterruptedException {
    try (Proc p = start(name, args)) {
      return Result.of(p, p.awaitExit(RUN_LIMIT));
    }
  }

  /** Waits for a started dfget (bounded). */
  public static Result await(Proc p) throws InterruptedException {
    return Result.of(p, p.awaitExit(RUN_LIMIT));
  }

  /** How one dfget run ended. */
  public record Result(String name, int exitCode, String stdout, String stderr, Duration elapsed, String describe) {
    static Result of(Proc p, int exit) {
      return new Result(p.name(), exit, p.stdout(), p.stderr(), p.elapsed(), p.describe());
    }

    @Override
    public String toString() {
      return name + " exited " + exitCode + " after " + elapsed.toMillis() + " ms\n" + describe;
    }
  }
}
