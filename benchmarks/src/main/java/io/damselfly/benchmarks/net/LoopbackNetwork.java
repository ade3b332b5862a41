package io.damselfly.benchmarks.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The fallback when namespaces cannot be made: every host is 127.0.0.1 with ports of its own (well-known
 * port + 10 x index), and no kernel caps: each system must cap itself with its own rate limits.
 */
public final class LoopbackNetwork implements LabNetwork {
  static final int PORT_STEP = 10;
  private final List<Host> hosts;

  public LoopbackNetwork(int count) {
    if (count < 3 || count > 250) {
      throw new IllegalArgumentException("count must be in [3, 250] hosts, got " + count);
    }
    List<Host> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(new Host(i, NamespaceNetwork.name(i), "127.0.0.1", null, i * PORT_STEP));
    }
    this.hosts = List.copyOf(all);
  }

  @Override
  public List<Host> hosts() {
    return hosts;
  }

  @Override
  public boolean kernelCaps() {
    return false;
  }

  @Override
  public long txBytes(Host host) {
    return -1;
  }

  @Override
  public String describe() {
    return hosts.size() + " hosts sharing loopback (no network namespaces): rates capped by each system's own "
        + "limits, not by the kernel";
  }

  @Override
  public void close() {
    // nothing was made
  }
}
