package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HomesTest {
  @Test
  void homeVariableWinsOverThePasswdHome() {
    assertThat(Homes.user(Map.of("HOME", "/srv/me"), "/root")).contains(Path.of("/srv/me"));
  }

  @Test
  void withoutHomeVariableThePasswdHomeIsUsed() {
    assertThat(Homes.user(Map.of(), "/home/me")).contains(Path.of("/home/me"));
    assertThat(Homes.user(Map.of("HOME", " "), "/home/me")).contains(Path.of("/home/me"));
  }

  @Test
  void aUidWithoutPasswdEntryHasNoHomeUnlessHomeIsSet() {
    // the JDK's user.home for a uid the passwd database does not know
    assertThat(Homes.user(Map.of(), "?")).isEmpty();
    assertThat(Homes.user(Map.of("HOME", "/tmp/h"), "?")).contains(Path.of("/tmp/h"));
    assertThatThrownBy(() -> Homes.defaultHome(Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$HOME").hasMessageContaining("--home");
  }

  @Test
  void defaultHomeIsTheDotDirectoryUnderTheHome() {
    assertThat(Homes.defaultHome(Optional.of(Path.of("/h")), "dfdaemon")).isEqualTo(Path.of("/h/.small-dragonfly/dfdaemon"));
  }

  @Test
  void aLeadingTildeIsTheHome() {
    Optional<Path> h = Optional.of(Path.of("/h"));
    assertThat(Homes.expand("~", h)).isEqualTo("/h");
    assertThat(Homes.expand("~/x/y", h)).isEqualTo("/h/x/y");
    assertThat(Homes.expand("~other/x", h)).isEqualTo("~other/x");
    assertThat(Homes.expand("a/~/b", h)).isEqualTo("a/~/b");
    assertThat(Homes.expand("~/x", Optional.empty())).isEqualTo("~/x");
  }
}
