package io.damselfly.e2e.demo;

import io.damselfly.common.ByteSize;
import io.damselfly.protocol.TaskView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo's table: per peer, bytes from other peers and from the supernode, time, and the verdict. */
final class DemoReport {
  private record Row(String name, long fromPeers, long fromSupernode, Duration time, boolean verified) {}

  private final long fileSize;
  private final long originSent;
  private final List<Row> rows = new ArrayList<>();

  DemoReport(long fileSize, long originSent) {
    this.fileSize = fileSize;
    this.originSent = originSent;
  }

  /** Adds a peer; {@code view} is the supernode's record of it, null when it has none. */
  void add(String name, TaskView.PeerView view, Duration time, boolean verified) {
    rows.add(new Row(name, view == null ? -1 : view.bytesFromPeers(), view == null ? -1 : view.bytesFromCdn(),
        time, verified));
  }

  boolean allGood() {
    return originSent == fileSize && rows.stream().allMatch(Row::verified);
  }

  void print(PrintStream out) {
    String format = "  %-8s %14s %16s %9s   %s%n";
    out.printf(format, "peer", "from peers", "from supernode", "time", "sha-256");
    long peers = 0;
    long supernode = 0;
    for (Row r : rows) {
      out.printf(format, r.name, size(r.fromPeers), size(r.fromSupernode),
          String.format(Locale.ROOT, "%.2f s", r.time.toMillis() / 1000.0), r.verified ? "ok" : "WRONG");
      peers += Math.max(0, r.fromPeers);
      supernode += Math.max(0, r.fromSupernode);
    }
    out.printf(format, "total", size(peers), size(supernode), "", "");
    out.println();
    long delivered = peers + supernode;
    if (delivered > 0) {
      out.printf(Locale.ROOT, "Peers got %.0f%% of the bytes from each other.%n", 100.0 * peers / delivered);
    }
    out.printf("The origin sent %s for a %s file: %s%n", ByteSize.format(originSent), ByteSize.format(fileSize),
        originSent == fileSize ? "the origin sent the file once." : "NOT exactly once.");
    long bad = rows.stream().filter(r -> !r.verified).count();
    out.println(bad == 0 ? "Every peer's file has the origin's SHA-256."
        : bad + " of " + rows.size() + " peers do not have the origin's bytes.");
  }

  private static String size(long bytes) {
    return bytes < 0 ? "?" : ByteSize.format(bytes);
  }
}
