package io.damselfly.cli.render;

import io.damselfly.common.ByteSize;
import io.damselfly.protocol.ProgressEvent;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn in place with a carriage return. */
public final class ProgressBar {
  private static final int BAR = 30;
  private final PrintStream err;
  private int lastLength;

  public ProgressBar(PrintStream err) {
    this.err = err;
  }

  /** Redraws the line for {@code e}. */
  public void update(ProgressEvent e) {
    String line = render(e);
    StringBuilder out = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastLength; i++) {
      out.append(' ');
    }
    lastLength = line.length();
    err.print(out);
    err.flush();
  }

  /** Ends the bar's line so the next output starts on a fresh one. */
  public void finish() {
    if (lastLength > 0) {
      err.println();
      err.flush();
      lastLength = 0;
    }
  }

  /**
   * The bar for {@code e}: {@code [=======>        ]  45% 28.8 MiB/64.0 MiB  20.0 MiB/s  ETA 0:02  peers 71%
   * supernode 29% origin 0%}; without a known total, bytes and rate only.
   */
  public static String render(ProgressEvent e) {
    long done = Math.max(0, e.doneBytes());
    double secs = e.elapsedMillis() / 1000.0;
    long rate = secs > 0 ? (long) (done / secs) : 0;
    StringBuilder out = new StringBuilder();
    if (e.totalBytes() > 0) {
      long total = e.totalBytes();
      double frac = Math.min(1.0, (double) done / total);
      int filled = (int) Math.floor(frac * BAR);
      out.append('[').append("=".repeat(filled));
      if (filled < BAR) {
        out.append('>').append(" ".repeat(BAR - filled - 1));
      }
      out.append(String.format(Locale.ROOT, "] %3d%% %s/%s  %s/s  ETA %s", (int) Math.floor(frac * 100),
          ByteSize.format(done), ByteSize.format(total), ByteSize.format(rate), eta(total - done, rate)));
    } else {
      out.append(String.format(Locale.ROOT, "%s  %s/s", ByteSize.format(done), ByteSize.format(rate)));
    }
    Shares s = Shares.of(e);
    if (!s.none()) {
      out.append(String.format(Locale.ROOT, "  peers %d%% supernode %d%% origin %d%%", s.peers(), s.supernode(),
          s.origin()));
    }
    return out.toString();
  }

  static String eta(long left, long rate) {
    if (left <= 0) {
      return "0:00";
    }
    if (rate <= 0) {
      return "--:--";
    }
    long secs = (left + rate - 1) / rate;
    if (secs >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", secs / 60, secs % 60);
  }
}
