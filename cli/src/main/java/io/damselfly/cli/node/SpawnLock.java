package io.damselfly.cli.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;

/**
 * {@code <home>/data/spawn.lock}: an exclusive file lock held while a dfget starts its home's node, so
 * two dfgets never start two nodes. Works across processes and between threads of one process.
 */
public final class SpawnLock implements AutoCloseable {
  private static final long POLL_MILLIS = 25;
  private final FileChannel channel;
  private final FileLock lock;

  private SpawnLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits up to {@code wait} for the lock.
   *
   * @throws IOException when the lock file cannot be opened or another holder kept it longer than {@code wait}
   * @throws InterruptedException when {@code cancelled} turns true or the thread is interrupted
   */
  public static SpawnLock acquire(Path file, Duration wait, InstantSource clock, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    Files.createDirectories(file.getParent());
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    Instant deadline = clock.instant().plus(wait);
    try {
      while (true) {
        FileLock got = tryLock(ch);
        if (got != null) {
          return new SpawnLock(ch, got);
        }
        if (cancelled.getAsBoolean()) {
          throw new InterruptedException("cancelled while waiting for " + file);
        }
        if (clock.instant().isAfter(deadline)) {
          throw new IOException("another dfget held " + file + " for longer than " + wait.toSeconds() + " s");
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another thread of this process
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
