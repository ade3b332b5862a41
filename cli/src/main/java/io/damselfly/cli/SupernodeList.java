package io.damselfly.cli;

import io.damselfly.common.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where dfget's supernodes come from, first match wins: {@code --node}, then {@code [node] address} of
 * the user config {@code <home>/dragonfly.conf}, then of the system config ({@code $DAMSELFLY_CONF},
 * else {@code /etc/dragonfly.conf}).
 *
 * @param nodes supernodes in failover order; empty when none is configured anywhere
 * @param source where they came from, for logs
 */
public record SupernodeList(List<HostPort> nodes, String source) {
  public static final String USER_CONFIG = "dragonfly.conf";

  public SupernodeList {
    nodes = List.copyOf(nodes);
  }

  /** Resolves the list for {@code --node} values {@code flag} (empty when not given). */
  public static SupernodeList resolve(List<String> flag, Path home, CliEnv env) {
    List<HostPort> fromFlag = CliValues.nodes("--node", flag);
    if (!fromFlag.isEmpty()) {
      return new SupernodeList(fromFlag, "--node");
    }
    for (Path file : List.of(home.resolve(USER_CONFIG), env.systemConfig())) {
      Optional<String> address = IniFile.read(file).flatMap(ini -> ini.get("node", "address"));
      if (address.isPresent()) {
        return new SupernodeList(CliValues.nodes(file + " [node] address", List.of(address.get())), file.toString());
      }
    }
    return new SupernodeList(List.of(), "none");
  }

  /** The nodes as {@code host:port} strings, as the node's API takes them. */
  public List<String> authorities() {
    return nodes.stream().map(HostPort::authority).toList();
  }
}
