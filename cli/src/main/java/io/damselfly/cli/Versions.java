package io.damselfly.cli;

import picocli.CommandLine;

/** dfget's version, from the jar manifest ({@code dev} when run from classes). */
public final class Versions implements CommandLine.IVersionProvider {
  /** The version string. */
  public static String version() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"dfget " + version() + " (Damselfly, protocol v" + io.damselfly.protocol.ProtocolV1.VERSION
        + ", Java " + Runtime.version() + ")"};
  }
}
