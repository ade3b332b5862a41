package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Host;
import io.damselfly.benchmarks.net.LabNetwork;
import io.damselfly.benchmarks.net.Procs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one system's run gets: the network, N, the file, a directory of its own, the registry of the
 * processes it starts (closed after the run) and the time limit.
 *
 * @param rateBits each link's cap, bits per second each way
 * @param limit how long the run may take before unfinished hosts count as failed
 */
public record Trial(LabNetwork net, int n, Workload file, Path dir, Procs procs, long rateBits, Duration limit,
    Tools tools) {

  public Trial {
    if (n < 1 || n + 2 > net.hosts().size()) {
      throw new IllegalArgumentException("n must be in [1, " + (net.hosts().size() - 2) + "], got " + n);
    }
  }

  /** The origin's host (nginx; BitTorrent's tracker). */
  public Host origin() {
    return net.host(0);
  }

  /** The supernode's host; BitTorrent's first seeder. */
  public Host seed() {
    return net.host(1);
  }

  /** The N downloading hosts. */
  public List<Host> peers() {
    return net.hosts().subList(2, 2 + n);
  }

  public Path dir(Host host) {
    return dir.resolve(host.name());
  }

  public long rateBytes() {
    return rateBits / 8;
  }

  /** A log file for {@code what} on {@code host}. */
  public Path log(Host host, String what) {
    return dir(host).resolve(what + ".log");
  }
}
