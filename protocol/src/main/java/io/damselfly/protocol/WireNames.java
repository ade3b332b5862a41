package io.damselfly.protocol;

import java.util.Locale;

/** Enums whose constants travel as their names in lower case ({@code p2p}, {@code done}). */
final class WireNames {
  private WireNames() {}

  static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The constant of {@code values} named {@code name} on the wire; else {@code what} "must be a, b or c". */
  static <E extends Enum<E>> E parse(E[] values, String what, String name) {
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      String wire = of(values[i]);
      if (wire.equals(name)) {
        return values[i];
      }
      names.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(wire);
    }
    throw new IllegalArgumentException(what + " must be " + names + ", got '" + name + "'");
  }
}
