package io.damselfly.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A dragonfly.conf in INI form: {@code [section]} lines, {@code key = value} lines, comments starting
 * with '#' or ';'. Section and key names are case-insensitive.
 */
public record IniFile(Path path, Map<String, Map<String, String>> sections) {
  public IniFile {
    sections = Map.copyOf(sections);
  }

  /** Reads {@code path}; empty when there is no such file. */
  public static Optional<IniFile> read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw CliException.usage("config file " + path + " cannot be read: " + e.getMessage());
    }
    return Optional.of(parse(path, lines));
  }

  static IniFile parse(Path path, List<String> lines) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = sections.computeIfAbsent(lower(line.substring(1, line.length() - 1).strip()),
            s -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || current == null) {
        throw CliException.usage("config file " + path + " line " + (i + 1)
            + " must be a [section] or a key=value inside a section, got '" + line + "'");
      }
      current.put(lower(line.substring(0, eq).strip()), line.substring(eq + 1).strip());
    }
    Map<String, Map<String, String>> sealed = new LinkedHashMap<>();
    sections.forEach((k, v) -> sealed.put(k, Map.copyOf(v)));
    return new IniFile(path, sealed);
  }

  /** The value of {@code key} in {@code section}, if set and not blank. */
  public Optional<String> get(String section, String key) {
    return Optional.ofNullable(sections.getOrDefault(lower(section), Map.of()).get(lower(key)))
        .filter(v -> !v.isBlank());
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
