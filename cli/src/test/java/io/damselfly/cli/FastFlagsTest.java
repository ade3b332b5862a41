package io.damselfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** dfget's fast flag reader against picocli: the same fields, or it leaves the command line to picocli. */
class FastFlagsTest {
  @Test
  void knowsEveryOptionButHelpAndVersion() {
    Set<String> all = new CommandLine(new DfgetOptions()).getCommandSpec().options().stream()
        .flatMap(o -> java.util.Arrays.stream(o.names())).collect(Collectors.toSet());
    all.removeAll(Set.of("-h", "--help", "-v", "--version"));
    assertThat(FastFlags.names()).isEqualTo(all);
  }

  @Test
  void readsWhatPicocliReads() throws Exception {
    List<String[]> lines = List.of(
        args("-u", "http://h/f", "-o", "out"),
        args("--url", "http://h/f", "--output", "out", "--md5", "0123456789abcdef0123456789abcdef"),
        args("--url=http://h/f", "--output=out", "--node=a:8002,b", "--node", "c"),
        args("-u", "http://h/f", "-O", "o", "--digest", "sha256:ab", "--callsystem", "ci", "--notbs", "-s", "20M",
            "--totallimit", "1G", "-i", "id", "-e", "5m", "-f", "sig&expires", "-f", "x", "-b", "-p", "cdn",
            "-n", "sn1", "--header", "Authorization: Bearer t", "--header", "X: y", "--dfdaemon", "--console",
            "--home", "/tmp/h", "--daemon-port", "65002", "--no-daemon", "--keepalive", "2s", "--upload-limit", "5M",
            "--piece-timeout", "10s", "--advertise-ip", "10.0.0.1"),
        args("--url=", "-o", "x"),
        args());
    for (String[] line : lines) {
      DfgetOptions fast = new DfgetOptions();
      assertThat(FastFlags.read(line, fast)).as(String.join(" ", line)).isTrue();
      DfgetOptions picocli = new DfgetOptions();
      new CommandLine(picocli).parseArgs(line);
      assertThat(fields(fast)).as(String.join(" ", line)).isEqualTo(fields(picocli));
    }
  }

  @Test
  void leavesEverythingElseToPicocli() {
    for (String[] line : List.of(args("--help"), args("-h"), args("--version"), args("-v"), args("--bogus"),
        args("-u", "a", "-u", "b"), args("-u", "a", "--url", "b"), args("-b", "--showbar"), args("-u"),
        args("-o", "--url"), args("-uhttp://h/f"), args("-u=http://h/f"), args("--notbs=true"),
        args("--daemon-port", "many"), args("http://h/f"), args("--", "-u"), args("-o", "-"))) {
      assertThat(FastFlags.read(line, new DfgetOptions())).as(String.join(" ", line)).isFalse();
    }
  }

  private static String[] args(String... a) {
    return a;
  }

  private static Map<String, Object> fields(DfgetOptions o) throws IllegalAccessException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field f : DfgetOptions.class.getDeclaredFields()) {
      f.setAccessible(true);
      out.put(f.getName(), f.get(o));
    }
    return out;
  }
}
