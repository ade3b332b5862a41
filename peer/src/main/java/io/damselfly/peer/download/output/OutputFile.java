package io.damselfly.peer.download.output;

import io.damselfly.common.DiskQuota;
import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.protocol.DfgetExit;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The output of a download: bytes go to a hidden temporary file next to the output and reach the
 * output path only by an atomic rename after every check passed, so a failure never leaves a
 * partial file there.
 */
public final class OutputFile {
  private final Path output;
  private final Path temp;

  private OutputFile(Path output, Path temp) {
    this.output = output;
    this.temp = temp;
  }

  /** Checks the output path and creates the temporary file. */
  public static OutputFile prepare(String outputPath) {
    if (outputPath == null || outputPath.isBlank()) {
      throw new DownloadFailure(DfgetExit.USAGE, "output must be given");
    }
    Path given;
    try {
      given = Path.of(outputPath);
    } catch (java.nio.file.InvalidPathException e) {
      throw new DownloadFailure(DfgetExit.USAGE, "output is not a valid path: " + e.getReason());
    }
    if (!given.isAbsolute()) {
      // relative paths would resolve against the node's directory, not the caller's
      throw new DownloadFailure(DfgetExit.USAGE, "output must be an absolute path, got " + outputPath);
    }
    Path output = given.normalize();
    Path dir = output.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "output directory " + dir + " does not exist");
    }
    if (Files.isDirectory(output)) {
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "output " + output + " is a directory");
    }
    String name = "." + output.getFileName() + ".damselfly-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp";
    Path temp = dir.resolve(name);
    try {
      Files.createFile(temp);
    } catch (IOException e) {
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "cannot write in " + dir + ": " + e.getMessage(), e);
    }
    return new OutputFile(output, temp);
  }

  public Path output() {
    return output;
  }

  public Path temp() {
    return temp;
  }

  /**
   * Refuses a download of {@code length} bytes (-1: unknown, always accepted) that cannot fit on the
   * output's disk, before a byte of it is written. The output is the user's: no watermark is kept there.
   */
  public void ensureRoom(long length) {
    ensureRoom(temp, length);
  }

  public static void ensureRoom(Path file, long length) {
    if (length < 0) {
      return;
    }
    long free = DiskQuota.usableSpace(file.getParent());
    DiskQuota quota = DiskQuota.UNLIMITED;
    if (!quota.fits(0, free, length)) {
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR,
          "not enough space for the output in " + file.getParent() + ": " + quota.refusal("the file", 0, free, length));
    }
  }

  /** Empties the temporary file (a restart from another source). */
  void truncate() throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
  }

  /** Replaces the temporary file with a link to (or copy of) {@code complete}. */
  public void fillFrom(Path complete) throws IOException {
    Files.deleteIfExists(temp);
    try {
      Files.createLink(temp, complete);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(complete, temp);
    }
  }

  /** Moves the verified temporary file onto the output path. */
  public void commit() {
    try {
      try {
        Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      discard();
      throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "cannot move the file to " + output + ": " + e, e);
    }
  }

  /** Removes the temporary file; the output path is untouched. */
  public void discard() {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // best effort: a stale hidden temp file is harmless and named as ours
    }
  }
}
