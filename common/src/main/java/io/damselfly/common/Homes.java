package io.damselfly.common;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ~} means for every Damselfly program: {@code $HOME} first, as for a shell and the original dfget,
 * else Java's {@code user.home}, which the JDK takes from the passwd database. A uid without a passwd entry
 * (containers, OpenShift) gets {@code ?} there; that is no home, and the programs then ask for {@code $HOME} or
 * {@code --home} instead of writing under a directory named {@code ?}.
 */
public final class Homes {
  /** The directory under the user's home that holds Damselfly's data and logs. */
  public static final String DIR = ".small-dragonfly";

  private Homes() {}

  /** This process's home: {@code $HOME}, else {@code user.home}; empty when neither names a directory. */
  public static Optional<Path> user() {
    return user(System.getenv(), System.getProperty("user.home"));
  }

  /**
   * The home for the environment {@code env} and the {@code user.home} property {@code userHome}: the first
   * of them that is an absolute path ({@code $HOME} is also taken when relative, made absolute).
   */
  public static Optional<Path> user(Map<String, String> env, String userHome) {
    String fromEnv = env.get("HOME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      Optional<Path> p = path(fromEnv);
      if (p.isPresent()) {
        return Optional.of(p.get().toAbsolutePath().normalize());
      }
    }
    if (userHome != null && !userHome.isBlank()) {
      return path(userHome).filter(Path::isAbsolute).map(Path::normalize);
    }
    return Optional.empty();
  }

  /** {@code ~/.small-dragonfly} (plus {@code more}) of this process; fails clearly when there is no home. */
  public static Path defaultHome(String... more) {
    return defaultHome(user(), more);
  }

  /** {@code <home>/.small-dragonfly} (plus {@code more}); fails clearly when {@code home} is empty. */
  public static Path defaultHome(Optional<Path> home, String... more) {
    Path base = home.orElseThrow(() -> new IllegalArgumentException(
        "no home directory: $HOME is not set and this user has none in the passwd database; set $HOME or --home"))
        .resolve(DIR);
    for (String m : more) {
      base = base.resolve(m);
    }
    return base;
  }

  /** {@code path} with a leading {@code ~} or {@code ~/} replaced by {@code home} ({@code ~user} stays as it is). */
  public static String expand(String path, Optional<Path> home) {
    if (path == null || home.isEmpty() || !(path.equals("~") || path.startsWith("~/"))) {
      return path;
    }
    return path.equals("~") ? home.get().toString() : home.get().resolve(path.substring(2)).toString();
  }

  private static Optional<Path> path(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }
}
