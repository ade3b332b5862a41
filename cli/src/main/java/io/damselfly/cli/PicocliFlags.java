package io.damselfly.cli;

import io.damselfly.cli.render.Summary;
import io.damselfly.protocol.DfgetExit;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * dfget's flags read by picocli: help, version, bad flags and every command line {@link FastFlags} leaves to it.
 * Kept apart from {@link DfgetMain} so that a hand-over with plain flags loads no picocli class at all.
 */
final class PicocliFlags {
  private PicocliFlags() {}

  /** Parses into {@code command}'s fields; returns an exit code when dfget is done (help, version, bad flag). */
  static Integer parse(Object command, String[] args, CliEnv env, String help) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(writer(env.out()));
    cl.setErr(writer(env.err()));
    try {
      CommandLine.ParseResult result = cl.parseArgs(args);
      if (CommandLine.printHelpIfRequested(result)) {
        return 0;
      }
      return null;
    } catch (CommandLine.ParameterException e) {
      env.err().println(Summary.error(e.getMessage()));
      env.err().println("Try '" + help + "' for the flags.");
      return DfgetExit.USAGE.code();
    }
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(stream, true);
  }
}
