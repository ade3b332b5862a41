package io.damselfly.cli;

import io.damselfly.protocol.DfgetExit;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The file dfget writes: {@code --output}, else the URL's last path segment in the working directory. */
public final class OutputPath {
  private OutputPath() {}

  /**
   * The absolute output path.
   *
   * @throws CliException (usage) when no output is given and the URL names no file
   */
  public static Path resolve(String flag, URI url, Path cwd) {
    String name = flag != null ? flag : defaultName(url);
    try {
      return cwd.resolve(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw CliException.usage("--output must be a file path, got '" + name + "': " + e.getReason());
    }
  }

  /** The URL's last path segment, decoded. */
  static String defaultName(URI url) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    String name = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf('\0') >= 0) {
      throw CliException.usage("--output must be given: the URL '" + url + "' does not end in a file name");
    }
    return name;
  }

  /**
   * Checks that the output can be written: its directory exists and is writable, and it is not a directory.
   *
   * @throws CliException (exit 7) naming the path and the problem
   */
  public static void checkWritable(Path output) {
    Path dir = output.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException(DfgetExit.OUTPUT_ERROR, "--output directory " + dir + " does not exist");
    }
    if (Files.isDirectory(output)) {
      throw new CliException(DfgetExit.OUTPUT_ERROR, "--output " + output + " is a directory; give a file path");
    }
    if (!Files.isWritable(dir)) {
      throw new CliException(DfgetExit.OUTPUT_ERROR, "--output directory " + dir + " is not writable");
    }
    if (Files.exists(output) && !Files.isRegularFile(output)) {
      throw new CliException(DfgetExit.OUTPUT_ERROR, "--output " + output + " exists and is not a regular file");
    }
  }
}
