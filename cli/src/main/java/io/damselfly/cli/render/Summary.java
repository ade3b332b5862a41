package io.damselfly.cli.render;

import io.damselfly.common.ByteSize;
import io.damselfly.protocol.ProgressEvent;
import java.nio.file.Path;
import java.util.Locale;

/** dfget's one summary line on stdout after a successful download. */
public final class Summary {
  private Summary() {}

  /**
   * For example {@code dfget: downloaded 64.0 MiB in 3.2 s (20.0 MiB/s): 71% from peers, 29% from supernode,
   * 0% from origin -> /path/out}.
   */
  public static String line(ProgressEvent done, Path output) {
    long bytes = done.totalBytes() >= 0 ? done.totalBytes() : done.doneBytes();
    double secs = Math.max(1, done.elapsedMillis()) / 1000.0;
    Shares s = Shares.of(done);
    String from = s.none() && bytes > 0
        ? "already held by this host's node"
        : s.peers() + "% from peers, " + s.supernode() + "% from supernode, " + s.origin() + "% from origin";
    return String.format(Locale.ROOT, "dfget: downloaded %s in %.1f s (%s/s): %s -> %s", ByteSize.format(bytes), secs,
        ByteSize.format((long) (bytes / secs)), from, output);
  }

  /** The error line on stderr. */
  public static String error(String message) {
    return "dfget: error: " + message;
  }
}
