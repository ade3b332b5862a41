package io.damselfly.dfdaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigTest {
  @TempDir
  Path dir;

  @Test
  void yamlFileThenFlagsMakeTheConfig() throws Exception {
    Path yaml = Files.writeString(dir.resolve("dfdaemon.yml"), """
        port: 65009
        registries:
          - url: https://registry-1.docker.io
            names: [docker.io]
          - url: http://harbor.local:5000
        supernodes: [sn1:8002, sn2]
        proxies:
          - regx: "blobs/sha256:"
          - regx: "\\\\.iso$"
            direct: true
        intercept:
          hosts: ["^index\\\\.example\\\\.com:443$"]
        cache:
          size: 10G
          minFree: 512M
        upload:
          limit: 20M
        accessTtl: 30s
        taskTtl: 2h
        """);
    DfdaemonMain main = new DfdaemonMain();
    new CommandLine(main).parseArgs("--config", yaml.toString(), "--home", dir.toString(), "--registry",
        "http://mirror.local:5000", "--node", "sn3:8002", "--upload-limit", "5M", "--cache-size", "1G");
    DaemonConfig c = main.config();
    assertThat(c.port()).isEqualTo(65009);
    assertThat(c.registries()).extracting(u -> u.url().toString())
        .containsExactly("http://mirror.local:5000", "https://registry-1.docker.io", "http://harbor.local:5000");
    assertThat(c.registries().get(1).names()).containsExactly("registry-1.docker.io", "docker.io");
    assertThat(c.supernodes()).containsExactly("sn3:8002");
    assertThat(c.proxies()).hasSize(2);
    assertThat(c.proxies().get(1).direct()).isTrue();
    assertThat(c.proxies().get(1).matches("http://x/a.iso")).isTrue();
    assertThat(c.interceptHosts().get(0).matcher("index.example.com:443").find()).isTrue();
    assertThat(c.cacheBytes()).isEqualTo(1L << 30);
    assertThat(c.minFreeBytes()).isEqualTo(512L << 20);
    assertThat(c.uploadLimit()).isEqualTo(5L << 20);
    assertThat(c.accessTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.taskTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(c.home()).isEqualTo(dir.toAbsolutePath());
  }

  @Test
  void badInputIsAClearError() throws Exception {
    Path typo = Files.writeString(dir.resolve("typo.yml"), "registry: http://x\n");
    assertThatThrownBy(() -> ConfigFile.read(typo)).hasMessageContaining("typo.yml").hasMessageContaining("registry");
    Path badRule = Files.writeString(dir.resolve("rule.yml"), "proxies:\n  - regx: \"([\"\n");
    assertThatThrownBy(() -> ConfigFile.read(badRule).applyTo(DaemonConfig.defaults(dir)))
        .hasMessageContaining("not a regular expression");
    assertThatThrownBy(() -> Upstream.parse("ftp://x")).hasMessageContaining("https://host[:port]");
    assertThatThrownBy(() -> Upstream.parse("http://x/v2/")).hasMessageContaining("no path");
    assertThatThrownBy(() -> ConfigFile.duration("accessTtl", "soon")).hasMessageContaining("accessTtl");
    DfdaemonMain main = new DfdaemonMain();
    new CommandLine(main).parseArgs("--home", dir.toString(), "--cache-size", "lots");
    assertThatThrownBy(main::config).hasMessageContaining("--cache-size");
    assertThat(List.of(ProxyRule.of("a", false))).hasSize(1);
  }
}
