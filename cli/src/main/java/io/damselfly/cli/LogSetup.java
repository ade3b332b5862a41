package io.damselfly.cli;

import java.nio.file.Path;

/**
 * Points Logback at {@code dfget-logback.xml} and its log directory through system properties; must run
 * before the first logger is created (Logback reads them once, when it starts).
 */
public final class LogSetup {
  /** The Logback configuration resource of dfget and {@code dfget server}. */
  public static final String CONFIG = "dfget-logback.xml";

  private LogSetup() {}

  /**
   * Logs go to {@code <dir>/<name>.log} (rolling), and to stderr when {@code console}. A
   * {@code -Dlogback.configurationFile} given on the command line wins.
   */
  public static void configure(Path dir, String name, boolean console) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", CONFIG);
    }
    System.setProperty("damselfly.log.dir", dir.toAbsolutePath().toString());
    System.setProperty("damselfly.log.name", name);
    System.setProperty("damselfly.log.console", console ? "INFO" : "OFF");
  }
}
