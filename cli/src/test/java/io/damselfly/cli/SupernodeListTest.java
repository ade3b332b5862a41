package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupernodeListTest {
  @TempDir Path dir;
  Path home;
  Path system;
  CliEnv env;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(dir.resolve("home"));
    system = dir.resolve("etc-dragonfly.conf");
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    env = new CliEnv(Map.of(CliEnv.CONF_VARIABLE, system.toString()), dir, dir, sink, sink, false);
  }

  @Test
  void flagWinsOverBothConfigFiles() throws IOException {
    Files.writeString(home.resolve("dragonfly.conf"), "[node]\naddress=user1\n");
    Files.writeString(system, "[node]\naddress=sys1\n");
    SupernodeList list = SupernodeList.resolve(List.of("flag1:9000,flag2"), home, env);
    assertThat(list.nodes()).containsExactly(new HostPort("flag1", 9000), new HostPort("flag2", 8002));
    assertThat(list.source()).isEqualTo("--node");
    assertThat(list.authorities()).containsExactly("flag1:9000", "flag2:8002");
  }

  @Test
  void userConfigWinsOverSystemConfig() throws IOException {
    Files.writeString(home.resolve("dragonfly.conf"), "# mine\n[other]\naddress=nope\n\n[node]\n address = u1, u2:8003 \n");
    Files.writeString(system, "[node]\naddress=sys1\n");
    SupernodeList list = SupernodeList.resolve(List.of(), home, env);
    assertThat(list.nodes()).containsExactly(new HostPort("u1", 8002), new HostPort("u2", 8003));
    assertThat(list.source()).isEqualTo(home.resolve("dragonfly.conf").toString());
  }

  @Test
  void systemConfigFromDamselflyConfWhenUserHasNone() throws IOException {
    Files.writeString(home.resolve("dragonfly.conf"), "[node]\n; no address here\n");
    Files.writeString(system, "[NODE]\nAddress=sys1,sys2\n");
    SupernodeList list = SupernodeList.resolve(List.of(), home, env);
    assertThat(list.nodes()).containsExactly(new HostPort("sys1", 8002), new HostPort("sys2", 8002));
  }

  @Test
  void noConfigAnywhereIsEmpty() {
    assertThat(SupernodeList.resolve(List.of(), home, env).nodes()).isEmpty();
  }

  @Test
  void badConfigLinesAndAddressesNameTheFile() throws IOException {
    Files.writeString(system, "address=outside-a-section\n");
    assertThatThrownBy(() -> SupernodeList.resolve(List.of(), home, env))
        .isInstanceOf(CliException.class).hasMessageContaining(system.toString()).hasMessageContaining("line 1");
    Files.writeString(system, "[node]\naddress=host:99999\n");
    assertThatThrownBy(() -> SupernodeList.resolve(List.of(), home, env))
        .isInstanceOf(CliException.class).hasMessageContaining(system + " [node] address").hasMessageContaining("port");
  }

  @Test
  void systemConfigDefaultsToEtc() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    CliEnv plain = new CliEnv(Map.of(), dir, dir, sink, sink, false);
    assertThat(plain.systemConfig()).isEqualTo(Path.of("/etc/dragonfly.conf"));
    assertThat(env.systemConfig()).isEqualTo(system);
  }
}
