package io.damselfly.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** The packaged jars under test, named by system properties set in the e2e pom. */
public final class Jars {
  private Jars() {}

  public static Path supernode() {
    return jar("damselfly.supernode.jar");
  }

  public static Path dfget() {
    return jar("damselfly.dfget.jar");
  }

  public static Path dfdaemon() {
    return jar("damselfly.dfdaemon.jar");
  }

  private static Path jar(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " must name a jar (set by the e2e pom)");
    }
    Path jar = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package it first (./mvnw verify builds it before e2e)");
    }
    return jar;
  }
}
