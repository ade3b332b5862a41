package io.damselfly.benchmarks.net;

import java.util.ArrayList;
import java.util.List;

/**
 * One machine of the emulated network: a network namespace with one capped link to the switch, or, on the
 * loopback fallback, a share of 127.0.0.1 with ports of its own.
 *
 * @param index 0 = the origin's host, 1 = the supernode's (first seeder's) host, 2.. = downloading hosts
 * @param name a short name for logs and directories (origin, seed, peer1, ...)
 * @param address the address the others reach it at
 * @param namespace its network namespace, or null on loopback
 * @param portShift added to every well-known port a service on this host listens on (0 in a namespace)
 */
public record Host(int index, String name, String address, String namespace, int portShift) {
  public Host {
    if (index < 0 || name == null || name.isBlank() || address == null || address.isBlank() || portShift < 0) {
      throw new IllegalArgumentException("host needs index >= 0, a name, an address and portShift >= 0, got "
          + index + "/" + name + "/" + address + "/" + portShift);
    }
  }

  /** The command line that runs {@code argv} on this host. */
  public List<String> command(List<String> argv) {
    if (namespace == null) {
      return List.copyOf(argv);
    }
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    out.addAll(argv);
    return out;
  }

  /** The port a service with the well-known port {@code base} listens on here. */
  public int port(int base) {
    return base + portShift;
  }

  /** {@code address:port(base)}. */
  public String endpoint(int base) {
    return address + ":" + port(base);
  }

  /**
   * Waits until something accepts TCP connections at {@code address:port} as seen from this host.
   *
   * @throws IllegalStateException when nothing does within {@code seconds}
   */
  public void awaitPort(String address, int port, int seconds) {
    String probe = "for i in $(seq 1 " + (seconds * 10) + "); do (exec 3<>/dev/tcp/" + address + "/" + port
        + ") 2>/dev/null && exit 0; sleep 0.1; done; exit 1";
    if (Sh.exec(command(List.of("bash", "-c", probe))).exit() != 0) {
      throw new IllegalStateException("nothing listens on " + address + ":" + port + " after " + seconds
          + " s (seen from " + name + ")");
    }
  }

  @Override
  public String toString() {
    return name + "(" + address + ")";
  }
}
