package io.damselfly.e2e.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, so a full disk is real. Mounting needs root; without it the test
 * fails with a message saying so (it is never skipped). {@link #close()} unmounts, also after a failure.
 */
final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code bytes} at {@code dir} (created if missing). */
  static Tmpfs mount(Path dir, long bytes) throws IOException, InterruptedException {
    if (!"0".equals(run(List.of("id", "-u")).strip())) {
      throw new AssertionError("the disk-full tests mount a small tmpfs, which needs root: run bin/test as root");
    }
    Files.createDirectories(dir);
    run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString()));
    return new Tmpfs(dir);
  }

  Path dir() {
    return dir;
  }

  /** Bytes in use on the tmpfs. */
  long used() throws IOException {
    var store = Files.getFileStore(dir);
    return store.getTotalSpace() - store.getUsableSpace();
  }

  /** Writes {@code name} until the tmpfs is full; returns the bytes written. */
  long fill(String name) throws IOException {
    byte[] block = new byte[64 * 1024];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
      while (true) {
        out.write(block);
        written += block.length;
      }
    } catch (IOException full) {
      return written;
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of("umount", "-l", dir.toString()));
  }
}
