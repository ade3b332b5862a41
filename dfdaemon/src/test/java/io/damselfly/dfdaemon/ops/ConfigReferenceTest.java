package io.damselfly.dfdaemon.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.dfdaemon.ConfigFile;
import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.DfdaemonMain;
import io.damselfly.peer.NodeConfig;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.supernode.SupernodeMain;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/CONFIG.md names every command-line option of supernode, dfdaemon, dfget and dfget server, and every
 * field of the configuration records (and dfdaemon's YAML keys), each in its program's section.
 */
class ConfigReferenceTest {
  private static final String DOC = "docs/CONFIG.md";

  @Test
  void everySupernodeOptionAndConfigFieldIsDocumented() {
    String section = section("supernode");
    assertThat(missingOptions(new SupernodeMain(), section)).as("supernode flags missing from " + DOC).isEmpty();
    assertThat(missingFields(SupernodeConfig.class, section)).as("SupernodeConfig fields missing from " + DOC).isEmpty();
  }

  @Test
  void everyDfdaemonOptionConfigFieldAndYamlKeyIsDocumented() {
    String section = section("dfdaemon");
    assertThat(missingOptions(new DfdaemonMain(), section)).as("dfdaemon flags missing from " + DOC).isEmpty();
    assertThat(missingFields(DaemonConfig.class, section)).as("DaemonConfig fields missing from " + DOC).isEmpty();
    assertThat(missingFields(ConfigFile.class, section)).as("dfdaemon YAML keys missing from " + DOC).isEmpty();
  }

  @Test
  void everyDfgetAndDfgetServerOptionAndNodeConfigFieldIsDocumented() throws Exception {
    String section = section("dfget");
    for (String command : List.of("io.damselfly.cli.DfgetOptions", "io.damselfly.cli.ServerCommand")) {
      assertThat(missingOptions(instance(command), section)).as("%s flags missing from %s", command, DOC).isEmpty();
    }
    assertThat(missingFields(NodeConfig.class, section)).as("NodeConfig fields missing from " + DOC).isEmpty();
  }

  @Test
  void theCheckFindsAnUndocumentedOption() {
    assertThat(missingOptions(new DfdaemonMain(), "| `--port PORT` |")).contains("--config", "--node");
  }

  /** The long names of the command's options (not --help / --version) that {@code text} does not name. */
  private static List<String> missingOptions(Object command, String text) {
    List<String> missing = new ArrayList<>();
    for (OptionSpec o : new CommandLine(command).getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      String name = o.longestName();
      if (!text.contains("`" + name + "`") && !text.contains("`" + name + " ")) {
        missing.add(name);
      }
    }
    return missing;
  }

  private static List<String> missingFields(Class<?> record, String text) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
        .filter(n -> !text.contains("`" + n + "`") && !text.contains("`" + n + ".")).toList();
  }

  /** The text of {@code ## title} up to the next {@code ## } heading. */
  private static String section(String title) {
    String doc = RepoFiles.read(DOC);
    int start = doc.indexOf("\n## " + title + "\n");
    assertThat(start).as("%s has a section '## %s'", DOC, title).isNotNegative();
    int end = doc.indexOf("\n## ", start + 4);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  private static Object instance(String className) throws Exception {
    Constructor<?> c = Class.forName(className).getDeclaredConstructor();
    c.setAccessible(true);
    return c.newInstance();
  }
}
