package io.damselfly.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
  private static final String[] JARS = {"--supernode-jar", "s.jar", "--dfget-jar", "d.jar", "--work", "w"};

  private static String[] with(String... more) {
    String[] all = new String[JARS.length + more.length];
    System.arraycopy(JARS, 0, all, 0, JARS.length);
    System.arraycopy(more, 0, all, JARS.length, more.length);
    return all;
  }

  @Test
  void defaultsToFourPeersAnd96MiB() {
    DemoOptions o = DemoOptions.parse(JARS);

    assertThat(o.peers()).isEqualTo(4);
    assertThat(o.sizeBytes()).isEqualTo(96L << 20);
    assertThat(o.work()).isEqualTo(Path.of("w"));
  }

  @Test
  void takesPeersAndSize() {
    DemoOptions o = DemoOptions.parse(with("--peers", "6", "--size", "8"));

    assertThat(o.peers()).isEqualTo(6);
    assertThat(o.sizeBytes()).isEqualTo(8L << 20);
  }

  @Test
  void rejectsBadValuesNamingTheFlag() {
    assertThatThrownBy(() -> DemoOptions.parse(with("--peers", "0"))).hasMessageContaining("--peers");
    assertThatThrownBy(() -> DemoOptions.parse(with("--size", "big"))).hasMessageContaining("--size")
        .hasMessageContaining("big");
    assertThatThrownBy(() -> DemoOptions.parse(with("--peers"))).hasMessageContaining("--peers needs a value");
    assertThatThrownBy(() -> DemoOptions.parse(with("--color", "x"))).hasMessageContaining("unknown flag --color");
    assertThatThrownBy(() -> DemoOptions.parse("--peers", "2")).hasMessageContaining("--work");
  }
}
