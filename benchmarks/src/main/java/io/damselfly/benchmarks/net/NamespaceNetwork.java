package io.damselfly.benchmarks.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.damselfly.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts in network namespaces of their own, each with one veth link to a bridge in a "switch" namespace;
 * addresses 10.77.0.(i+1)/24 exist only inside the namespaces. A tbf qdisc on the host end of a link caps
 * the host's upload, one on the switch end caps its download. Needs root (CAP_NET_ADMIN); creates nothing in
 * the machine's own namespace.
 */
public final class NamespaceNetwork implements LabNetwork {
  /** Every namespace the lab makes starts with this; {@code bin/lab --cleanup} removes them all. */
  public static final String PREFIX = "dflab-";
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceNetwork.class);
  private static final String SWITCH = PREFIX + "sw";
  private static final String BURST = "64kb";
  private static final String LATENCY = "50ms";

  private final List<Host> hosts;
  private final long rateBits;

  private NamespaceNetwork(List<Host> hosts, long rateBits) {
    this.hosts = hosts;
    this.rateBits = rateBits;
  }

  /**
   * Builds {@code count} hosts whose links carry {@code rateBits} bits per second each way.
   *
   * @throws IllegalStateException when a namespace cannot be made; whatever was made is removed first
   */
  public static NamespaceNetwork create(int count, long rateBits) {
    if (count < 3 || count > 250) {
      throw new IllegalArgumentException("count must be in [3, 250] hosts, got " + count);
    }
    if (rateBits < 1_000_000) {
      throw new IllegalArgumentException("rate must be >= 1 Mbit/s, got " + rateBits + " bit/s");
    }
    List<Host> hosts = new ArrayList<>();
    try {
      Sh.run("ip", "netns", "add", SWITCH);
      Sh.run("ip", "-n", SWITCH, "link", "add", "br0", "type", "bridge");
      Sh.run("ip", "-n", SWITCH, "link", "set", "br0", "up");
      for (int i = 0; i < count; i++) {
        Host h = new Host(i, name(i), "10.77.0." + (i + 1), PREFIX + "h" + i, 0);
        link(h, rateBits);
        hosts.add(h);
      }
    } catch (RuntimeException e) {
      cleanup();
      throw e;
    }
    LOG.info("made {} hosts in namespaces {}h0..h{} on switch {}, {} bit/s each way", count, PREFIX, count - 1,
        SWITCH, rateBits);
    return new NamespaceNetwork(List.copyOf(hosts), rateBits);
  }

  private static void link(Host h, long rateBits) {
    String ns = h.namespace();
    String port = "p" + h.index();
    Sh.run("ip", "netns", "add", ns);
    Sh.run("ip", "-n", SWITCH, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
    Sh.run("ip", "-n", SWITCH, "link", "set", port, "master", "br0", "up");
    Sh.run("ip", "-n", ns, "addr", "add", h.address() + "/24", "dev", "eth0");
    Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
    Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
    String rate = rateBits + "bit";
    Sh.run("tc", "-n", ns, "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate, "burst", BURST, "latency",
        LATENCY);
    Sh.run("tc", "-n", SWITCH, "qdisc", "add", "dev", port, "root", "tbf", "rate", rate, "burst", BURST, "latency",
        LATENCY);
  }

  static String name(int i) {
    return switch (i) {
      case 0 -> "origin";
      case 1 -> "seed";
      default -> "peer" + (i - 1);
    };
  }

  /** Whether this process may make namespaces: tries one and removes it. */
  public static boolean available() {
    String probe = PREFIX + "probe-" + ProcessHandle.current().pid();
    if (!Sh.has("ip") || !Sh.has("tc") || Sh.exec(List.of("ip", "netns", "add", probe)).exit() != 0) {
      return false;
    }
    Sh.exec(List.of("ip", "netns", "del", probe));
    return true;
  }

  @Override
  public List<Host> hosts() {
    return hosts;
  }

  @Override
  public boolean kernelCaps() {
    return true;
  }

  @Override
  public long txBytes(Host host) {
    Sh.Result r = Sh.exec(List.of("ip", "-j", "-s", "-n", host.namespace(), "link", "show", "dev", "eth0"));
    if (r.exit() != 0) {
      return -1;
    }
    try {
      JsonNode node = Json.mapper().readTree(r.out().isBlank() ? "[]" : r.out()).path(0);
      return node.path("stats64").path("tx").path("bytes").asLong(-1);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return -1;
    }
  }

  @Override
  public String describe() {
    return hosts.size() + " network namespaces on a bridge, each link capped by tc tbf at " + rateBits / 1_000_000
        + " Mbit/s up and down (burst " + BURST + ", latency " + LATENCY + ")";
  }

  @Override
  public void close() {
    cleanup();
  }

  /**
   * Removes every namespace named {@link #PREFIX}*, ending the processes inside them first (the lab started
   * them: nothing else runs in its namespaces). Returns how many namespaces it removed.
   */
  public static int cleanup() {
    Sh.Result list = Sh.exec(List.of("ip", "netns", "list"));
    if (list.exit() != 0) {
      return 0;
    }
    List<String> mine = list.out().lines().map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(PREFIX)).toList();
    for (String ns : mine) {
      Procs.killAll(pids(ns));
    }
    for (String ns : mine) {
      Sh.Result del = Sh.exec(List.of("ip", "netns", "del", ns));
      if (del.exit() != 0) {
        LOG.warn("cannot remove namespace {}: {}", ns, del.err().strip());
      }
    }
    return mine.size();
  }

  private static List<Long> pids(String ns) {
    Sh.Result r = Sh.exec(List.of("ip", "netns", "pids", ns));
    return r.exit() != 0 ? List.of()
        : r.out().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong).toList();
  }
}
