package io.damselfly.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * dfget's flags read without picocli, for the plain command lines that hand a download over: every argument a
 * known option, its value in the next argument or after {@code =}, no option given twice. Anything else (help,
 * version, an unknown or repeated option, a missing value, a value that starts with {@code -}, a port that is no
 * number) is left to picocli, which gives the usual answer or message. picocli's classes are Java 5 class files
 * the JDK's AOT cache cannot hold, so loading and verifying them was half of a hand-over's start-up
 * (docs/BENCHMARKS.md). {@code FastFlagsTest} keeps the two readings the same.
 */
final class FastFlags {
  private static final Map<String, BiConsumer<DfgetOptions, String>> VALUES = new HashMap<>();
  private static final Map<String, Consumer<DfgetOptions>> SWITCHES = new HashMap<>();
  /** Options that may be given more than once (each adds a value). */
  private static final Set<String> REPEATABLE = Set.of("filter", "node", "header");
  /** The option each name belongs to, so that {@code -u} and {@code --url} count as one when repeated. */
  private static final Map<String, String> OPTION = new HashMap<>();

  static {
    value("url", (o, v) -> o.url = v, "-u", "--url");
    value("output", (o, v) -> o.output = v, "-o", "-O", "--output");
    value("md5", (o, v) -> o.md5 = v, "-m", "--md5");
    value("digest", (o, v) -> o.digest = v, "--digest");
    value("callsystem", (o, v) -> o.callSystem = v, "--callsystem");
    value("locallimit", (o, v) -> o.localLimit = v, "-s", "--locallimit");
    value("totallimit", (o, v) -> o.totalLimit = v, "--totallimit");
    value("identifier", (o, v) -> o.identifier = v, "-i", "--identifier");
    value("timeout", (o, v) -> o.timeout = v, "-e", "--timeout");
    value("filter", (o, v) -> o.filter.add(v), "-f", "--filter");
    value("pattern", (o, v) -> o.pattern = v, "-p", "--pattern");
    value("node", (o, v) -> o.nodes.add(v), "-n", "--node");
    value("header", (o, v) -> o.headers.add(v), "--header");
    value("home", (o, v) -> o.home = Path.of(v), "--home");
    value("daemon-port", (o, v) -> o.daemonPort = Integer.parseInt(v), "--daemon-port");
    value("keepalive", (o, v) -> o.keepAlive = v, "--keepalive");
    value("upload-limit", (o, v) -> o.uploadLimit = v, "--upload-limit");
    value("piece-timeout", (o, v) -> o.pieceTimeout = v, "--piece-timeout");
    value("advertise-ip", (o, v) -> o.advertiseIp = v, "--advertise-ip");
    flag("notbs", o -> o.notbs = true, "--notbs");
    flag("showbar", o -> o.showBar = true, "-b", "--showbar");
    flag("dfdaemon", o -> o.dfdaemon = true, "--dfdaemon");
    flag("console", o -> o.console = true, "--console");
    flag("no-daemon", o -> o.noDaemon = true, "--no-daemon");
  }

  private FastFlags() {}

  /** The names this reader knows (every option of {@link DfgetOptions} but help and version). */
  static Set<String> names() {
    return Set.copyOf(OPTION.keySet());
  }

  /**
   * Reads {@code args} into {@code into}; returns false, with {@code into} in no defined state, when picocli must
   * read them instead.
   */
  static boolean read(String[] args, DfgetOptions into) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 2) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      String option = OPTION.get(name);
      if (option == null || (!seen.add(option) && !REPEATABLE.contains(option))) {
        return false;
      }
      Consumer<DfgetOptions> flag = SWITCHES.get(name);
      if (flag != null) {
        if (value != null) {
          return false;
        }
        flag.accept(into);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
          return false;
        }
        value = args[++i];
      }
      try {
        VALUES.get(name).accept(into, value);
      } catch (RuntimeException e) { // a port that is no number, a path that is none: picocli says so
        return false;
      }
    }
    return true;
  }

  private static void value(String option, BiConsumer<DfgetOptions, String> set, String... names) {
    for (String n : names) {
      VALUES.put(n, set);
      OPTION.put(n, option);
    }
  }

  private static void flag(String option, Consumer<DfgetOptions> set, String... names) {
    for (String n : names) {
      SWITCHES.put(n, set);
      OPTION.put(n, option);
    }
  }
}
