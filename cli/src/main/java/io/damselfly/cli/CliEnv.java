package io.damselfly.cli;

import io.damselfly.common.Homes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What dfget takes from its process, made explicit so tests can run it in-process with their own
 * environment, working directory and streams.
 *
 * @param env environment variables ({@code DAMSELFLY_HOME}, {@code DAMSELFLY_CONF})
 * @param cwd directory a relative or default {@code --output} is resolved against
 * @param userHome the user's home ({@code ~}: {@code $HOME}, else {@code user.home}), or null when there is none
 *     (a uid without a passwd entry and no {@code $HOME})
 * @param out the summary line (stdout)
 * @param err errors and the progress bar (stderr)
 * @param installHooks true to cancel a download on Ctrl-C through a JVM shutdown hook
 */
public record CliEnv(Map<String, String> env, Path cwd, Path userHome, PrintStream out, PrintStream err,
    boolean installHooks) {
  /** Environment variable naming the home directory when {@code --home} is not given. */
  public static final String HOME_VARIABLE = "DAMSELFLY_HOME";
  /** Environment variable naming the system config file instead of {@code /etc/dragonfly.conf}. */
  public static final String CONF_VARIABLE = "DAMSELFLY_CONF";

  public CliEnv {
    if (env == null || cwd == null || out == null || err == null) {
      throw new IllegalArgumentException("env, cwd, out and err must be given");
    }
    env = Map.copyOf(env);
    cwd = cwd.toAbsolutePath().normalize();
  }

  /** This process's environment, directory and standard streams. */
  public static CliEnv system() {
    return new CliEnv(System.getenv(), Path.of(""), Homes.user().orElse(null), System.out, System.err, true);
  }

  /**
   * The home directory: {@code --home}, else {@code $DAMSELFLY_HOME}, else {@code ~/.small-dragonfly}; a leading
   * {@code ~} in either is the user's home.
   *
   * @throws CliException (usage) when the default is needed and there is no user home
   */
  public Path home(Path flag) {
    if (flag != null) {
      return cwd.resolve(expand(flag.toString())).normalize();
    }
    String fromEnv = env.get(HOME_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return cwd.resolve(expand(fromEnv)).normalize();
    }
    try {
      return Homes.defaultHome(Optional.ofNullable(userHome));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage() + " (or $" + HOME_VARIABLE + ")");
    }
  }

  private String expand(String path) {
    return Homes.expand(path, Optional.ofNullable(userHome));
  }

  /** The system config file: {@code $DAMSELFLY_CONF}, else {@code /etc/dragonfly.conf}. */
  public Path systemConfig() {
    String fromEnv = env.get(CONF_VARIABLE);
    return fromEnv != null && !fromEnv.isBlank() ? cwd.resolve(fromEnv) : Path.of("/etc", "dragonfly.conf");
  }
}
