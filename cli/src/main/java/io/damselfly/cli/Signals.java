package io.damselfly.cli;

import org.slf4j.LoggerFactory;

/** Signal dispositions of a detached {@code dfget server}. */
final class Signals {
  private Signals() {}

  /**
   * Ignores SIGINT and SIGHUP: a node dfget started shares the terminal's process group, and Ctrl-C meant
   * for dfget must not stop it. SIGTERM still runs the shutdown hooks.
   */
  static void ignoreTerminal() {
    for (String name : new String[] {"INT", "HUP"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_IGN);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LoggerFactory.getLogger(Signals.class).warn("cannot ignore SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
