package io.damselfly.transport;

/**
 * Process-wide settings of the JDK's HTTP client (origins, registries), applied by each program's {@code main}
 * before any client exists. The client reads 16 KiB per hand-off to the thread reading the body; a CDN fetching
 * its origin on a busy host waited for a core at every hand-off, and the origin's TCP window closed meanwhile
 * (a 128 MiB origin fetch took 20 s instead of 12 s in the lab at N = 8). A user's own {@code -D} setting wins.
 */
public final class JdkHttpTuning {
  /** Bytes the JDK's HTTP client reads per hand-off (the JDK's own default is 16 KiB). */
  public static final int READ_BUFFER = 256 * 1024;
  private static final String BUFSIZE = "jdk.httpclient.bufsize";

  private JdkHttpTuning() {}

  /** Sets the read buffer unless the JVM was given one. */
  public static void apply() {
    if (System.getProperty(BUFSIZE) == null) {
      System.setProperty(BUFSIZE, Integer.toString(READ_BUFFER));
    }
  }
}
