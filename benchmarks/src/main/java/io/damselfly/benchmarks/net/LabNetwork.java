package io.damselfly.benchmarks.net;

import java.util.List;

/** The hosts of a lab run and how their links are capped. Closing it removes everything it made. */
public interface LabNetwork extends AutoCloseable {
  /** Every host: index 0 the origin's, 1 the supernode's (first seeder's), then the downloading hosts. */
  List<Host> hosts();

  default Host host(int index) {
    return hosts().get(index);
  }

  /** True when the kernel caps every link; false when the systems must cap themselves (loopback). */
  boolean kernelCaps();

  /** Bytes {@code host} sent on its link so far, headers included; -1 when not measurable. */
  long txBytes(Host host);

  /** One line for the report: how the network was made. */
  String describe();

  @Override
  void close();
}
