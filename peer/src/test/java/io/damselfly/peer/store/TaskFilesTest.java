package io.damselfly.peer.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.peer.testkit.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskFilesTest {
  private static final TaskId A = TaskId.of("task-a");
  private static final TaskId B = TaskId.of("task-b");
  private static final Duration KEEP = Duration.ofMinutes(5);
  private static final Digest VERIFIED = Digest.sha256Of("verified".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private TaskFiles files;

  @BeforeEach
  void open() {
    files = new TaskFiles(dir.resolve("data"), clock);
  }

  private HeldFile completed(TaskId task, String content) throws IOException {
    Path temp = Files.writeString(dir.resolve(task.value() + ".tmp"), content);
    HeldFile f = files.downloading(task, temp, 4, content.length());
    files.complete(f, content.length(), Digest.sha256Of(content.getBytes(StandardCharsets.UTF_8)));
    return f;
  }

  @Test
  void aDownloadIsServedAsSoonAsItStartsButIsNotACompleteCopy() throws IOException {
    Path temp = Files.createFile(dir.resolve("t"));
    HeldFile f = files.downloading(A, temp, 4, 8);

    assertThat(files.lookup(A)).containsSame(f);
    assertThat(files.completed(A)).isEmpty();
    assertThat(files.serving(A)).isFalse();
  }

  @Test
  void completeKeepsALinkInTheDataDirectoryThatOutlivesTheOutput() throws IOException {
    Path temp = Files.writeString(dir.resolve("out.tmp"), "verified");
    HeldFile f = files.downloading(A, temp, 4, 8);

    files.complete(f, 8, VERIFIED);
    Files.delete(temp);

    Path kept = dir.resolve("data").resolve("tasks").resolve("task-a.data");
    assertThat(f.path()).isEqualTo(kept);
    assertThat(f.sha256()).isEqualTo(VERIFIED);
    assertThat(kept).hasContent("verified");
    assertThat(files.completed(A)).containsSame(f);
    assertThat(files.serving(A)).isTrue();
    assertThat(files.lookup(A)).containsSame(f);
  }

  @Test
  void aFileNotOfferedToPeersIsNeverLookedUp() throws IOException {
    HeldFile f = files.unserved(A, Files.createFile(dir.resolve("cdn-only")), 4, 8);
    f.markHeld(0);
    assertThat(f.holds(0, 4)).isTrue();
    assertThat(files.lookup(A)).isEmpty();
  }

  @Test
  void abandonStopsServingOnlyThatDownload() throws IOException {
    HeldFile first = files.downloading(A, Files.createFile(dir.resolve("1")), 4, 8);
    HeldFile second = files.downloading(A, Files.createFile(dir.resolve("2")), 4, 8);

    files.abandon(first);
    assertThat(files.lookup(A)).containsSame(second);

    files.abandon(second);
    assertThat(files.lookup(A)).isEmpty();
  }

  @Test
  void abandoningACompleteCopyDeletesIt() throws IOException {
    HeldFile a = completed(A, "aaaa");
    Path kept = a.path();

    files.abandon(a);

    assertThat(files.lookup(A)).isEmpty();
    assertThat(kept).doesNotExist();
  }

  @Test
  void abandoningADownloadLeavesItsFileToTheDownload() throws IOException {
    Path temp = Files.createFile(dir.resolve("in-progress"));
    files.abandon(files.downloading(A, temp, 4, 8));
    assertThat(temp).exists();
  }

  @Test
  void expireRemovesCompleteFilesIdleLongerThanTheKeepAlive() throws IOException {
    HeldFile a = completed(A, "aaaa");
    clock.advance(Duration.ofMinutes(3));
    completed(B, "bbbb");
    clock.advance(Duration.ofMinutes(3));

    assertThat(files.expire(KEEP)).isEqualTo(1);

    assertThat(files.lookup(A)).isEmpty();
    assertThat(a.path()).doesNotExist();
    assertThat(files.serving(B)).isTrue();
    assertThat(Files.exists(dir.resolve("data").resolve("tasks").resolve("task-b.data"))).isTrue();
  }

  @Test
  void useKeepsAFileAlive() throws IOException {
    HeldFile a = completed(A, "aaaa");
    clock.advance(Duration.ofMinutes(4));
    files.completed(A);
    clock.advance(Duration.ofMinutes(4));
    a.served("peer-x", 4);
    clock.advance(Duration.ofMinutes(4));

    assertThat(files.expire(KEEP)).isEqualTo(1);
    assertThat(files.serving(A)).isTrue();
    assertThat(files.lastActivity()).isEqualTo(clock.instant().minus(Duration.ofMinutes(4)));
  }

  @Test
  void downloadsInProgressNeverExpire() throws IOException {
    Path temp = Files.createFile(dir.resolve("slow"));
    files.downloading(A, temp, 4, 8);
    clock.advance(Duration.ofDays(1));

    assertThat(files.expire(KEEP)).isEqualTo(1);
    assertThat(files.lookup(A)).isPresent();
    assertThat(temp).exists();
  }

  @Test
  void nothingHeldMeansNoActivity() {
    assertThat(files.lastActivity()).isEqualTo(java.time.Instant.EPOCH);
    assertThat(files.uploadedBytes()).isZero();
  }

  @Test
  void filesLeftByAnEarlierRunAreRemovedAtStart() throws IOException {
    completed(A, "aaaa");
    Path tasks = dir.resolve("data").resolve("tasks");
    Files.writeString(tasks.resolve("stray.data"), "unverified");

    TaskFiles reopened = new TaskFiles(dir.resolve("data"), clock);

    try (var left = Files.list(tasks)) {
      assertThat(left).isEmpty();
    }
    assertThat(reopened.lookup(A)).isEmpty();
  }
}
