package io.damselfly.dfdaemon.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.HostPort;
import org.junit.jupiter.api.Test;

class ConnectTargetTest {
  @Test
  void acceptsAuthorityForm() {
    assertThat(ConnectHandler.target("registry.example:443")).isEqualTo(new HostPort("registry.example", 443));
    assertThat(ConnectHandler.target("10.1.2.3:8443")).isEqualTo(new HostPort("10.1.2.3", 8443));
    assertThat(ConnectHandler.target("[::1]:443")).isEqualTo(new HostPort("::1", 443));
  }

  @Test
  void refusesMissingPortAndNumericShorthands() {
    for (String bad : new String[] {"1", "registry.example", "1:443", "127.1:443", "[1]:443", "256.0.0.1:443",
        "127.0.0.1:0", "127.0.0.1:99999", ":443"}) {
      assertThatThrownBy(() -> ConnectHandler.target(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CONNECT needs");
    }
  }
}
