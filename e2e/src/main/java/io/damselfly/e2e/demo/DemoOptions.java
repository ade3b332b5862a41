package io.damselfly.e2e.demo;

import java.nio.file.Path;

/**
 * The demo's settings.
 *
 * @param peers simulated hosts downloading at once (default 4, 1 to 32)
 * @param sizeMiB size of the random file in MiB (default 96, 1 to 4096)
 * @param supernodeJar the supernode jar to run
 * @param dfgetJar the dfget jar to run
 * @param work directory for the file, homes, outputs and logs (bin/demo makes a temporary one)
 */
public record DemoOptions(int peers, int sizeMiB, Path supernodeJar, Path dfgetJar, Path work) {
  public static final int DEFAULT_PEERS = 4;
  public static final int DEFAULT_SIZE_MIB = 96;

  public DemoOptions {
    if (peers < 1 || peers > 32) {
      throw new IllegalArgumentException("--peers must be from 1 to 32, got " + peers);
    }
    if (sizeMiB < 1 || sizeMiB > 4096) {
      throw new IllegalArgumentException("--size must be from 1 to 4096 MiB, got " + sizeMiB);
    }
    if (supernodeJar == null || dfgetJar == null || work == null) {
      throw new IllegalArgumentException("--supernode-jar, --dfget-jar and --work must be given");
    }
  }

  /** Parses {@code --peers N --size MiB --supernode-jar F --dfget-jar F --work DIR}. */
  public static DemoOptions parse(String... args) {
    int peers = DEFAULT_PEERS;
    int size = DEFAULT_SIZE_MIB;
    Path supernode = null;
    Path dfget = null;
    Path work = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--peers" -> peers = number(flag, value);
        case "--size" -> size = number(flag, value);
        case "--supernode-jar" -> supernode = Path.of(value);
        case "--dfget-jar" -> dfget = Path.of(value);
        case "--work" -> work = Path.of(value);
        default -> throw new IllegalArgumentException("unknown flag " + flag
            + " (expected --peers N, --size MiB, --supernode-jar FILE, --dfget-jar FILE, --work DIR)");
      }
    }
    return new DemoOptions(peers, size, supernode, dfget, work);
  }

  public long sizeBytes() {
    return (long) sizeMiB << 20;
  }

  private static int number(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, got '" + value + "'");
    }
  }
}
