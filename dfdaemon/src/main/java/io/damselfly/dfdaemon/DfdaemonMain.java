package io.damselfly.dfdaemon;

import io.damselfly.common.ByteSize;
import io.damselfly.common.Homes;
import io.damselfly.transport.ClusterAccessOptions;
import io.damselfly.transport.Logs;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dfdaemon}: runs the daemon until SIGTERM or Ctrl-C. Flags win over the config file. */
@Command(name = "dfdaemon", mixinStandardHelpOptions = true, versionProvider = DfdaemonMain.Version.class,
    description = "A host's P2P peer: registry mirror and HTTP proxy whose downloads go over the Damselfly network.")
public final class DfdaemonMain implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", description = "proxy / registry mirror / local API port (default 65001)")
  Integer port;

  @Option(names = "--registry", paramLabel = "URL", description = "registry URL to mirror, such as https://index.docker.io; repeatable, the first is the default")
  List<String> registries;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (registries, proxy rules, intercepted hosts, cache, supernodes)")
  Path configFile;

  @Option(names = "--node", paramLabel = "HOST[:PORT]", split = ",", description = "supernodes host[:port], comma-separated, in failover order")
  List<String> nodes;

  @Option(names = "--home", paramLabel = "DIR", description = "home directory (default ~/.small-dragonfly/dfdaemon, ~ being $HOME, else the user's home)")
  Path home;

  @Option(names = "--upload-port", paramLabel = "PORT", description = "port other peers fetch pieces from (default random)")
  Integer uploadPort;

  @Option(names = "--upload-limit", paramLabel = "RATE", description = "upload rate cap such as 20M (bytes per second)")
  String uploadLimit;

  @Option(names = "--totallimit", paramLabel = "RATE", description = "rate cap of all downloads of the host, such as 100M")
  String totalLimit;

  @Option(names = "--cache-size", paramLabel = "SIZE", description = "most bytes of blobs kept in the cache, such as 20G")
  String cacheSize;

  @Option(names = "--advertise-ip", paramLabel = "IP", description = "address other peers reach this host at")
  String advertiseIp;

  @Option(names = "--log-dir", paramLabel = "DIR", description = "rolling log files, 50 MB each, 7 days, 500 MB in all (default <home>/logs)")
  Path logDir;

  @Mixin
  ClusterAccessOptions access;

  @Option(names = "--console", description = "also log to stderr")
  boolean console;

  public static void main(String[] args) {
    io.damselfly.transport.JdkHttpTuning.apply(); // origins and registries over the JDK client
    System.exit(new CommandLine(new DfdaemonMain()).execute(args));
  }

  /** The configuration these flags describe: defaults, then the config file, then the flags. */
  DaemonConfig config() {
    Path h = home != null ? Path.of(Homes.expand(home.toString(), Homes.user())) : Homes.defaultHome("dfdaemon");
    DaemonConfig c = DaemonConfig.defaults(h.toAbsolutePath());
    if (configFile != null) {
      c = ConfigFile.read(configFile).applyTo(c);
    }
    if (port != null) {
      c = c.withPort(port);
    }
    if (registries != null && !registries.isEmpty()) {
      List<Upstream> all = new ArrayList<>(registries.stream().map(Upstream::parse).toList());
      c.registries().stream().filter(u -> all.stream().noneMatch(a -> a.url().equals(u.url()))).forEach(all::add);
      c = c.withRegistries(all);
    }
    if (nodes != null) {
      c = c.withSupernodes(nodes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    if (uploadPort != null || uploadLimit != null || totalLimit != null || advertiseIp != null) {
      c = c.withUpload(uploadPort != null ? uploadPort : c.uploadPort(),
          uploadLimit != null ? ByteSize.parse("--upload-limit", uploadLimit) : c.uploadLimit(),
          totalLimit != null ? ByteSize.parse("--totallimit", totalLimit) : c.totalLimit(),
          advertiseIp != null ? advertiseIp : c.advertiseIp());
    }
    if (access.given()) {
      c = c.withClusterAccess(access.access());
    }
    if (cacheSize != null) {
      c = c.withCache(ByteSize.parse("--cache-size", cacheSize), c.minFreeBytes());
    }
    return c;
  }

  @Override
  public Integer call() throws Exception {
    DaemonConfig c;
    try {
      c = config();
    } catch (IllegalArgumentException e) {
      System.err.println("dfdaemon: " + e.getMessage());
      return 2;
    }
    Logs.configure(logDir != null ? logDir : c.logDir(), "dfdaemon", console);
    Dfdaemon daemon;
    try {
      daemon = Dfdaemon.start(c, InstantSource.system());
    } catch (RuntimeException e) {
      System.err.println("dfdaemon: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "dfdaemon-shutdown"));
    System.out.println("dfdaemon ready port=" + daemon.port() + " upload=" + daemon.uploadPort());
    if (daemon.caCertificate() != null) {
      System.out.println("dfdaemon intercepts HTTPS with the CA " + daemon.caCertificate());
    }
    System.out.flush();
    daemon.awaitClose();
    return 0;
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DfdaemonMain.class.getPackage().getImplementationVersion();
      return new String[] {"dfdaemon " + (v == null ? "dev" : v)};
    }
  }

}
