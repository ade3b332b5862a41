package io.damselfly.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnLockTest {
  @TempDir Path home;

  private Path lockFile() {
    return home.resolve("data").resolve("spawn.lock");
  }

  @Test
  void secondHolderWaitsUntilTheFirstReleases() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SpawnLock first = SpawnLock.acquire(lockFile(), Duration.ofSeconds(30), InstantSource.system(), () -> false);
      CompletableFuture<SpawnLock> second = CompletableFuture.supplyAsync(() -> {
        try {
          return SpawnLock.acquire(lockFile(), Duration.ofMinutes(2), InstantSource.system(), () -> false);
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, pool);
      assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      first.close();
      second.get(60, TimeUnit.SECONDS).close();
      SpawnLock.acquire(lockFile(), Duration.ZERO, InstantSource.system(), () -> false).close();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void givesUpAfterTheWait() throws Exception {
    AtomicLong minutes = new AtomicLong();
    InstantSource jumping = () -> Instant.EPOCH.plus(Duration.ofMinutes(minutes.getAndIncrement()));
    try (SpawnLock held = SpawnLock.acquire(lockFile(), Duration.ofSeconds(1), InstantSource.system(), () -> false)) {
      assertThatThrownBy(() -> SpawnLock.acquire(lockFile(), Duration.ofSeconds(10), jumping, () -> false))
          .isInstanceOf(IOException.class).hasMessageContaining("spawn.lock").hasMessageContaining("longer than 10 s");
      assertThatThrownBy(() -> SpawnLock.acquire(lockFile(), Duration.ofMinutes(10), InstantSource.system(), () -> true))
          .isInstanceOf(InterruptedException.class);
    }
    assertThat(lockFile()).exists();
  }
}
