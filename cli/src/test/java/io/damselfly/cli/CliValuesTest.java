package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.HostPort;
import io.damselfly.protocol.DfgetExit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliValuesTest {
  @Test
  void ratesTakeSuffixesAndBareBytes() {
    assertThat(CliValues.rate("--locallimit", "20M")).isEqualTo(20L << 20);
    assertThat(CliValues.rate("--locallimit", "512K")).isEqualTo(512L << 10);
    assertThat(CliValues.rate("--locallimit", "1048576")).isEqualTo(1048576);
    assertThat(CliValues.rate("--totallimit", "0")).isZero();
  }

  @Test
  void badRateNamesTheFlag() {
    assertThatThrownBy(() -> CliValues.rate("--totallimit", "fast"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exit()).isEqualTo(DfgetExit.USAGE))
        .hasMessageContaining("--totallimit").hasMessageContaining("20M").hasMessageContaining("'fast'");
  }

  @Test
  void durationsAreSecondsOrSuffixed() {
    assertThat(CliValues.duration("--timeout", "30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(CliValues.duration("--timeout", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(CliValues.duration("--timeout", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(CliValues.duration("--timeout", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(CliValues.duration("--timeout", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(CliValues.duration("--keepalive", "1.5m")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void badDurationNamesTheFlag() {
    assertThatThrownBy(() -> CliValues.duration("--timeout", "soon"))
        .isInstanceOf(CliException.class).hasMessageContaining("--timeout").hasMessageContaining("30s");
    assertThatThrownBy(() -> CliValues.duration("--keepalive", "-5"))
        .isInstanceOf(CliException.class).hasMessageContaining("--keepalive");
    assertThatThrownBy(() -> CliValues.duration("--timeout", "999999h"))
        .isInstanceOf(CliException.class).hasMessageContaining("at most a year");
  }

  @Test
  void headersKeepOrderAndRepeatedNames() {
    var headers = CliValues.headers(List.of("X-B: 2", "Authorization: Bearer a:b", "X-B:3", "X-Empty:"));
    assertThat(headers.keySet()).containsExactly("X-B", "Authorization", "X-Empty");
    assertThat(headers.get("X-B")).containsExactly("2", "3");
    assertThat(headers.get("Authorization")).containsExactly("Bearer a:b");
    assertThat(headers.get("X-Empty")).containsExactly("");
  }

  @Test
  void malformedHeadersNameTheFlag() {
    for (String bad : List.of("NoColon", ": value", "Bad Name: v", "X: a\r\nInjected: b")) {
      assertThatThrownBy(() -> CliValues.headers(List.of(bad)))
          .as(bad).isInstanceOf(CliException.class).hasMessageContaining("--header").hasMessageContaining("Name: value");
    }
  }

  @Test
  void filterSplitsOnAmpersandAndComma() {
    assertThat(CliValues.filter(List.of("expires&sig", "token,,x ", ""))).containsExactly("expires", "sig", "token", "x");
  }

  @Test
  void nodesDefaultToPort8002() {
    assertThat(CliValues.nodes("--node", List.of("a,b:9000", "[::1]:7000")))
        .containsExactly(new HostPort("a", 8002), new HostPort("b", 9000), new HostPort("::1", 7000));
    for (String bad : List.of("a:b:c:d:x", "under_score", "a:notaport", "a:0")) {
      assertThatThrownBy(() -> CliValues.nodes("--node", List.of(bad)))
          .as(bad).isInstanceOf(CliException.class).hasMessageContaining("--node").hasMessageContaining("host[:port]");
    }
    assertThatThrownBy(() -> CliValues.nodes("--node", List.of("a:notaport")))
        .isInstanceOf(CliException.class).hasMessageContaining("--node").hasMessageContaining("host[:port]");
  }
}
