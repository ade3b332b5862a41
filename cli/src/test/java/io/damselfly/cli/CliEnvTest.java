package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.DfgetExit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliEnvTest {
  private static final PrintStream SINK = new PrintStream(PrintStream.nullOutputStream());

  @Test
  void theDefaultHomeIsUnderTheUserHome() {
    CliEnv env = new CliEnv(Map.of(), Path.of("/w"), Path.of("/u"), SINK, SINK, false);
    assertThat(env.home(null)).isEqualTo(Path.of("/u/.small-dragonfly"));
  }

  @Test
  void aTildeInTheFlagOrTheVariableIsTheUserHome() {
    CliEnv env = new CliEnv(Map.of(CliEnv.HOME_VARIABLE, "~/dh"), Path.of("/w"), Path.of("/u"), SINK, SINK, false);
    assertThat(env.home(null)).isEqualTo(Path.of("/u/dh"));
    assertThat(env.home(Path.of("~/flag"))).isEqualTo(Path.of("/u/flag"));
    assertThat(env.home(Path.of("rel"))).isEqualTo(Path.of("/w/rel"));
  }

  @Test
  void withoutAnyHomeTheDefaultIsAUsageErrorNamingWhatToSet() {
    CliEnv env = new CliEnv(Map.of(), Path.of("/w"), null, SINK, SINK, false);
    assertThatThrownBy(() -> env.home(null)).isInstanceOfSatisfying(CliException.class,
        e -> assertThat(e.exit()).isEqualTo(DfgetExit.USAGE))
        .hasMessageContaining("$HOME").hasMessageContaining("--home").hasMessageContaining("$DAMSELFLY_HOME");
    assertThat(env.home(Path.of("/given"))).isEqualTo(Path.of("/given"));
  }
}
