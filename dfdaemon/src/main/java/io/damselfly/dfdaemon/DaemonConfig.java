package io.damselfly.dfdaemon;

import io.damselfly.common.HostPort;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.transport.ClusterAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings of a daemon, sealed at start. See docs/DFDAEMON.md for the YAML form.
 *
 * @param port proxy / mirror / local API port (default 65001; 0 = random)
 * @param bindHost address the proxy port listens on (default 127.0.0.1: the host's own clients; set 0.0.0.0 to
 *     serve other hosts, which makes the daemon an open proxy for whoever reaches that port)
 * @param home directory for {@code data/} (node file, task files), {@code cache/}, {@code ca/} and {@code logs/}
 * @param registries registries the mirror serves; the first one is the default upstream (none: mirror off)
 * @param proxies ordered URL rules of the HTTP proxy (none: every proxied URL goes straight to its origin)
 * @param interceptHosts {@code CONNECT} targets ({@code host:port}) matching one of these are decrypted with
 *     a certificate of the daemon's CA so their URLs can follow the proxy rules; others are tunnelled untouched
 * @param supernodes supernodes as {@code host[:port]} in failover order (none: every blob comes from its registry)
 * @param uploadPort port other peers fetch pieces from (default 0 = random)
 * @param uploadLimit bytes per second served to other peers, 0 (default) for no cap
 * @param totalLimit bytes per second all downloads of the host receive together, 0 (default) for no cap
 * @param advertiseIp address other peers reach this host at; null (default) takes the address that reaches
 *     the supernode
 * @param cacheBytes most bytes of blobs kept in the cache (default 20 GiB)
 * @param minFreeBytes blobs are evicted while the cache's file system has less free space (default 1 GiB)
 * @param accessTtl how long a registry's answer to an access check is reused (default 60 s)
 * @param taskTtl how long a finished proxied download nobody asks for is still offered to peers (default 30 min)
 * @param maxRequestBody largest request body passed through (uploads), in bytes (default 64 MiB)
 * @param upstreamCaFiles PEM certificates trusted for upstream HTTPS in addition to the system's
 * @param clusterAccess cluster secret and TLS towards the supernodes and other peers, and asked of peers on the
 *     upload port (default none: plain HTTP, no secret)
 */
public record DaemonConfig(
    int port,
    String bindHost,
    Path home,
    List<Upstream> registries,
    List<ProxyRule> proxies,
    List<Pattern> interceptHosts,
    List<String> supernodes,
    int uploadPort,
    long uploadLimit,
    long totalLimit,
    String advertiseIp,
    long cacheBytes,
    long minFreeBytes,
    Duration accessTtl,
    Duration taskTtl,
    int maxRequestBody,
    List<Path> upstreamCaFiles,
    ClusterAccess clusterAccess) {

  public DaemonConfig {
    if (port < 0 || port > 65535 || uploadPort < 0 || uploadPort > 65535) {
      throw new IllegalArgumentException("port and upload port must be in [0, 65535], got " + port + " and " + uploadPort);
    }
    if (home == null) {
      throw new IllegalArgumentException("home must be given");
    }
    if (bindHost == null || bindHost.isBlank()) {
      throw new IllegalArgumentException("bind host must be an address such as 0.0.0.0, got nothing");
    }
    if (uploadLimit < 0 || totalLimit < 0 || cacheBytes < 0 || minFreeBytes < 0) {
      throw new IllegalArgumentException("limits and cache sizes must be >= 0");
    }
    if (maxRequestBody < 0) {
      throw new IllegalArgumentException("maxRequestBody must be >= 0, got " + maxRequestBody);
    }
    if (accessTtl == null || accessTtl.isNegative() || taskTtl == null || taskTtl.isNegative() || taskTtl.isZero()) {
      throw new IllegalArgumentException("accessTtl must be >= 0 and taskTtl > 0");
    }
    registries = List.copyOf(registries);
    proxies = List.copyOf(proxies);
    interceptHosts = List.copyOf(interceptHosts);
    supernodes = List.copyOf(supernodes);
    for (String s : supernodes) {
      HostPort.parse(s, ProtocolV1.DEFAULT_API_PORT);
    }
    upstreamCaFiles = List.copyOf(upstreamCaFiles);
    if (clusterAccess == null) {
      throw new IllegalArgumentException("clusterAccess must be given (ClusterAccess.NONE for none)");
    }
  }

  /** The documented defaults in {@code home}: port 65001, no registry, no rule, no supernode. */
  public static DaemonConfig defaults(Path home) {
    return new DaemonConfig(ProtocolV1.DEFAULT_DAEMON_PORT, "127.0.0.1", home, List.of(), List.of(), List.of(),
        List.of(), 0, 0, 0, null, 20L << 30, 1L << 30, Duration.ofSeconds(60), Duration.ofMinutes(30), 64 << 20,
        List.of(), ClusterAccess.NONE);
  }

  public DaemonConfig withPort(int p) {
    return new DaemonConfig(p, bindHost, home, registries, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withBindHost(String host) {
    return new DaemonConfig(port, host, home, registries, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withRegistries(List<Upstream> r) {
    return new DaemonConfig(port, bindHost, home, r, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withProxies(List<ProxyRule> rules, List<Pattern> intercept) {
    return new DaemonConfig(port, bindHost, home, registries, rules, intercept, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withSupernodes(List<String> nodes) {
    return new DaemonConfig(port, bindHost, home, registries, proxies, interceptHosts, nodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withCache(long bytes, long minFree) {
    return new DaemonConfig(port, bindHost, home, registries, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, bytes, minFree, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withUpload(int uploadPortValue, long uploadLimitValue, long totalLimitValue, String advertise) {
    return new DaemonConfig(port, bindHost, home, registries, proxies, interceptHosts, supernodes, uploadPortValue,
        uploadLimitValue, totalLimitValue, advertise, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withTimes(Duration access, Duration task) {
    return new DaemonConfig(port, bindHost, home, registries, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, access, task, maxRequestBody,
        upstreamCaFiles, clusterAccess);
  }

  public DaemonConfig withUpstreamCaFiles(List<Path> files) {
    return new DaemonConfig(port, bindHost, home, registries, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody, files,
        clusterAccess);
  }

  public DaemonConfig withClusterAccess(ClusterAccess a) {
    return new DaemonConfig(port, bindHost, home, registries, proxies, interceptHosts, supernodes, uploadPort,
        uploadLimit, totalLimit, advertiseIp, cacheBytes, minFreeBytes, accessTtl, taskTtl, maxRequestBody,
        upstreamCaFiles, a);
  }

  public Path cacheDir() {
    return home.resolve("cache");
  }

  public Path logDir() {
    return home.resolve("logs");
  }

  public Path caDir() {
    return home.resolve("ca");
  }
}
