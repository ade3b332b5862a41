package io.damselfly.cli;

import io.damselfly.common.Digest;
import io.damselfly.common.HostPort;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.TaskIdentity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Validates {@link DfgetOptions} against the environment and config files into a {@link DownloadPlan};
 * nothing is written. Usage errors first (exit 2), then the supernode check (exit 4), then the output
 * path (exit 7).
 */
final class PlanBuilder {
  private PlanBuilder() {}

  static DownloadPlan build(DfgetOptions o, CliEnv env) {
    if (o.url == null || o.url.isBlank()) {
      throw CliException.usage("--url is required: the http or https URL to download");
    }
    URI url = parseUrl(o.url);
    DownloadRequest.Pattern pattern = pattern(o.pattern);
    Digest expected = expectedDigest(o.md5, o.digest);
    long localLimit = o.localLimit == null ? 0 : CliValues.rate("--locallimit", o.localLimit);
    long totalLimit = o.totalLimit == null ? 0 : CliValues.rate("--totallimit", o.totalLimit);
    Duration timeout = o.timeout == null ? Duration.ZERO : CliValues.duration("--timeout", o.timeout);
    if (o.daemonPort < 1 || o.daemonPort > 65535) {
      throw CliException.usage("--daemon-port must be in [1, 65535], got " + o.daemonPort);
    }
    ServerArgs server = new ServerArgs(
        o.uploadLimit == null ? -1 : CliValues.rate("--upload-limit", o.uploadLimit),
        o.keepAlive == null ? null : CliValues.duration("--keepalive", o.keepAlive),
        o.advertiseIp == null ? null : advertise(o.advertiseIp),
        o.pieceTimeout == null ? null : positive("--piece-timeout", CliValues.duration("--piece-timeout", o.pieceTimeout)));
    var headers = CliValues.headers(o.headers);
    var filter = CliValues.filter(o.filter);
    Path home = env.home(o.home);
    Path output = OutputPath.resolve(o.output, url, env.cwd());
    SupernodeList nodes = SupernodeList.resolve(o.nodes, home, env);
    String note = null;
    if (nodes.nodes().isEmpty() && pattern != DownloadRequest.Pattern.SOURCE) {
      if (o.notbs) {
        throw new CliException(DfgetExit.NO_SUPERNODE, "no supernode is configured (--node, " + home.resolve(
            SupernodeList.USER_CONFIG) + " or " + env.systemConfig() + ") and --notbs forbids the origin");
      }
      pattern = DownloadRequest.Pattern.SOURCE;
      note = "no supernode is configured: downloading from the origin";
    }
    OutputPath.checkWritable(output);
    DownloadRequest request = DownloadRequest.builder(url.toString(), output.toString())
        .headers(headers).identifier(o.identifier).filter(filter)
        .expectedDigest(expected == null ? null : expected.toString()).pattern(pattern)
        .localLimit(localLimit).totalLimit(totalLimit).timeoutMillis(timeout.toMillis()).backToSource(!o.notbs)
        .nodes(nodes.authorities()).callSystem(o.callSystem).build();
    boolean machine = o.dfdaemon;
    return new DownloadPlan(request, home, o.showBar && !machine, machine, o.console, !o.noDaemon, o.daemonPort,
        server, note);
  }

  private static DownloadRequest.Pattern pattern(String name) {
    try {
      return DownloadRequest.Pattern.of(name);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--" + e.getMessage());
    }
  }

  private static URI parseUrl(String text) {
    try {
      return TaskIdentity.parseOriginUrl(text);
    } catch (IllegalArgumentException e) {
      // the core's messages begin with "url ...": name the flag
      throw CliException.usage(e.getMessage().startsWith("url ") ? "--" + e.getMessage() : "--url: " + e.getMessage());
    }
  }

  private static Digest expectedDigest(String md5, String digest) {
    if (md5 != null && digest != null) {
      throw CliException.usage("give either --md5 or --digest, not both");
    }
    if (md5 != null) {
      try {
        return Digest.md5(md5.trim());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--md5 must be 32 hex digits, got '" + md5 + "'");
      }
    }
    if (digest != null) {
      try {
        return Digest.parse(digest.trim());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--digest must be sha256:<64 hex digits> or md5:<32 hex digits>, got '"
            + digest + "'");
      }
    }
    return null;
  }

  /** {@code d} when positive; else a usage error naming {@code flag}. */
  static Duration positive(String flag, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw CliException.usage(flag + " must be a positive duration such as 2s, got " + d);
    }
    return d;
  }

  private static String advertise(String ip) {
    try {
      return new HostPort(ip.trim(), 1).host();
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--advertise-ip must be an address or host name without spaces, got '" + ip + "'");
    }
  }
}
