package io.damselfly.dfdaemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.damselfly.common.ByteSize;
import io.damselfly.common.Durations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The YAML configuration file ({@code --config}); every key is optional and command-line flags win.
 * Unknown keys are errors, so a typo never silently does nothing.
 */
public record ConfigFile(
    Integer port,
    String bind,
    List<Registry> registries,
    List<String> supernodes,
    List<Rule> proxies,
    Intercept intercept,
    Cache cache,
    Upload upload,
    String totalLimit,
    String advertiseIp,
    String accessTtl,
    String taskTtl,
    String maxRequestBody,
    List<String> upstreamCaFiles) {

  /** A registry: its URL and the {@code ns=} names that select it. */
  public record Registry(String url, List<String> names) {}

  /** A proxy rule: a regular expression on the whole URL; direct = straight to the origin. */
  public record Rule(String regx, Boolean direct) {}

  /** HTTPS interception: regular expressions on {@code host:port} of CONNECT requests. */
  public record Intercept(List<String> hosts) {}

  /** Cache limits: {@code size} (20G) and {@code minFree} (1G). */
  public record Cache(String size, String minFree) {}

  /** Upload server: {@code port} and {@code limit} (bytes per second, such as 50M). */
  public record Upload(Integer port, String limit) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Reads {@code file}; a missing, unreadable or malformed file is an error naming the file and the problem. */
  public static ConfigFile read(Path file) {
    try {
      ConfigFile c = YAML.readValue(Files.readAllBytes(file), ConfigFile.class);
      return c == null ? new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, null, null,
          null) : c;
    } catch (IOException e) {
      String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      throw new IllegalArgumentException("config file " + file + " is not valid: " + m);
    }
  }

  /** {@code base} with every key this file sets. */
  public DaemonConfig applyTo(DaemonConfig base) {
    DaemonConfig c = base;
    if (port != null) {
      c = c.withPort(port);
    }
    if (bind != null) {
      c = c.withBindHost(bind);
    }
    if (registries != null) {
      c = c.withRegistries(registries.stream().map(ConfigFile::upstream).toList());
    }
    if (supernodes != null) {
      c = c.withSupernodes(supernodes);
    }
    if (proxies != null || intercept != null) {
      List<ProxyRule> rules = proxies == null ? c.proxies()
          : proxies.stream().map(r -> ProxyRule.of(r.regx(), r.direct() != null && r.direct())).toList();
      List<Pattern> hosts = intercept == null || intercept.hosts() == null ? c.interceptHosts()
          : intercept.hosts().stream().map(ConfigFile::pattern).toList();
      c = c.withProxies(rules, hosts);
    }
    if (cache != null) {
      c = c.withCache(cache.size() == null ? c.cacheBytes() : ByteSize.parse("cache.size", cache.size()),
          cache.minFree() == null ? c.minFreeBytes() : ByteSize.parse("cache.minFree", cache.minFree()));
    }
    if (upload != null || totalLimit != null || advertiseIp != null) {
      c = c.withUpload(upload == null || upload.port() == null ? c.uploadPort() : upload.port(),
          upload == null || upload.limit() == null ? c.uploadLimit() : ByteSize.parse("upload.limit", upload.limit()),
          totalLimit == null ? c.totalLimit() : ByteSize.parse("totalLimit", totalLimit),
          advertiseIp == null ? c.advertiseIp() : advertiseIp);
    }
    if (accessTtl != null || taskTtl != null) {
      c = c.withTimes(accessTtl == null ? c.accessTtl() : duration("accessTtl", accessTtl),
          taskTtl == null ? c.taskTtl() : duration("taskTtl", taskTtl));
    }
    if (maxRequestBody != null) {
      long n = ByteSize.parse("maxRequestBody", maxRequestBody);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxRequestBody must be below 2G, got " + maxRequestBody);
      }
      c = new DaemonConfig(c.port(), c.bindHost(), c.home(), c.registries(), c.proxies(), c.interceptHosts(),
          c.supernodes(), c.uploadPort(), c.uploadLimit(), c.totalLimit(), c.advertiseIp(), c.cacheBytes(),
          c.minFreeBytes(), c.accessTtl(), c.taskTtl(), (int) n, c.upstreamCaFiles(), c.clusterAccess());
    }
    if (upstreamCaFiles != null) {
      c = c.withUpstreamCaFiles(upstreamCaFiles.stream().map(Path::of).toList());
    }
    return c;
  }

  private static Upstream upstream(Registry r) {
    if (r == null || r.url() == null) {
      throw new IllegalArgumentException("every registries entry needs a url");
    }
    try {
      return new Upstream(new URI(r.url().trim()), r.names());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("registry url must look like https://host[:port], got '" + r.url() + "'");
    }
  }

  static Pattern pattern(String regx) {
    try {
      return Pattern.compile(regx);
    } catch (PatternSyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("intercept host '" + regx + "' is not a regular expression");
    }
  }

  /** A duration in the grammar of {@link Durations}: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 2h}, {@code PT1M}. */
  static Duration duration(String what, String text) {
    return Durations.parse(what, text);
  }
}
