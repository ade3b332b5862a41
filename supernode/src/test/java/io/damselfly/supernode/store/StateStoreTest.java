package io.damselfly.supernode.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.TaskStatus;
import io.damselfly.testing.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same contract for both stores: the memory store, and Redis against a real redis-server. */
class StateStoreTest {
  @TempDir static Path dir;
  static RedisProcess redis;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisProcess.start(dir.resolve("redis"));
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  private List<StateStore> stores(String cluster) {
    return List.of(new MemoryStore(clock, Duration.ofHours(1)),
        StateStore.open(redis.uri(), cluster, Duration.ofHours(1), clock));
  }

  @Test
  void preheatJobsAreKeptAndReadBackByANewStore() {
    Path file = dir.resolve("memory-jobs").resolve("preheat-jobs.json");
    try (StateStore memory = new MemoryStore(clock, Duration.ofHours(1), file);
        StateStore redisStore = StateStore.open(redis.uri(), "jobs", Duration.ofHours(1), clock)) {
      for (StateStore s : List.of(memory, redisStore)) {
        s.putJob("j1", "{\"id\":\"j1\",\"state\":\"RUNNING\"}");
        s.putJob("j2", "{\"id\":\"j2\",\"state\":\"SUCCESS\"}");
        s.putJob("j1", "{\"id\":\"j1\",\"state\":\"SUCCESS\"}");
      }
    }
    try (StateStore memory = new MemoryStore(clock, Duration.ofHours(1), file);
        StateStore redisStore = StateStore.open(redis.uri(), "jobs", Duration.ofHours(1), clock)) {
      for (StateStore s : List.of(memory, redisStore)) {
        assertThat(s.jobs()).as(s.describe()).containsExactlyInAnyOrder("{\"id\":\"j1\",\"state\":\"SUCCESS\"}",
            "{\"id\":\"j2\",\"state\":\"SUCCESS\"}");
      }
      now.addAndGet(StateStore.JOB_TTL.toMillis());
      assertThat(memory.jobs()).as("expired after the job TTL").isEmpty();
    }
    assertThat(new MemoryStore(clock, Duration.ofHours(1)).jobs()).as("no file: nothing kept").isEmpty();
  }

  @Test
  void membersAreLiveUntilTheirTtlAndLeaveAtOnce() {
    for (StateStore s : stores("members")) {
      try (s) {
        Member a = new Member("a:1", "a:1", "a:2", now.get());
        Member b = new Member("b:1", "b:1", "b:2", now.get());
        s.heartbeat(a, Duration.ofSeconds(3));
        s.heartbeat(b, Duration.ofSeconds(3));
        assertThat(s.members(now.get() + 1000)).as(s.describe()).extracting(Member::id).containsExactlyInAnyOrder("a:1", "b:1");
        s.heartbeat(a.at(now.get() + 2500), Duration.ofSeconds(3));
        assertThat(s.members(now.get() + 4000)).as("b missed its TTL in %s", s.describe()).extracting(Member::id)
            .containsExactly("a:1");
        s.leave("a:1");
        assertThat(s.members(now.get() + 4000)).as(s.describe()).isEmpty();
      }
    }
  }

  @Test
  void tasksAndHoldingsRoundTrip() {
    for (StateStore s : stores("tasks")) {
      try (s) {
        TaskRecord t = new TaskRecord("k1", "k1-c", "http://o/f", 600, 256, "\"e\"", null, TaskStatus.RUNNING, null,
            List.of("sha256:aa", "sha256:bb"), "a:1", now.get());
        s.putTask(t);
        assertThat(s.task("k1")).as(s.describe()).contains(t);
        assertThat(s.task("nope")).isEmpty();
        s.putHolding("k1-c", new Holding("p1", "10.0.0.1", 4000, "Aw==", now.get()));
        s.putHolding("k1-c", new Holding("p2", "10.0.0.2", 4000, "AQ==", now.get() - 10_000));
        s.putHolding("k1-c", new Holding("p1", "10.0.0.1", 4000, "Bw==", now.get()));
        List<Holding> recent = s.holdings("k1-c", now.get() - 5000);
        assertThat(recent).as(s.describe()).extracting(Holding::peerId).containsExactly("p1");
        assertThat(recent.get(0).pieces().cardinality()).isEqualTo(3);
        assertThat(s.holdings("k1-c", 0)).hasSize(2);
      }
    }
  }

  @Test
  void clustersSharingOneRedisDoNotSeeEachOther() {
    try (StateStore one = StateStore.open(redis.uri(), "one", Duration.ofHours(1), clock);
        StateStore two = StateStore.open(redis.uri(), "two", Duration.ofHours(1), clock)) {
      one.heartbeat(new Member("a:1", "a:1", "a:2", now.get()), Duration.ofSeconds(10));
      assertThat(two.members(now.get())).isEmpty();
      assertThat(one.members(now.get())).hasSize(1);
    }
  }

  @Test
  void badStoreUrisAreClearErrors() {
    assertThatThrownBy(() -> StateStore.open("mysql://x", "c", Duration.ofHours(1), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store must be memory, redis://");
    assertThatThrownBy(() -> StateStore.open("redis://127.0.0.1:1", "c", Duration.ofHours(1), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot connect to the store");
  }
}
