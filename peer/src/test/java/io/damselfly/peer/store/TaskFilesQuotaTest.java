package io.damselfly.peer.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.common.DiskQuota;
import io.damselfly.common.TaskId;
import io.damselfly.peer.testkit.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's kept files stay within their size limit: the least recently used finished file goes first. */
class TaskFilesQuotaTest {
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();

  private HeldFile completed(TaskFiles files, String task, int size) throws IOException {
    byte[] content = new byte[size];
    Path temp = Files.write(dir.resolve(task + ".tmp"), content);
    HeldFile f = files.downloading(TaskId.of(task), temp, 256, size);
    files.complete(f, size, Digest.sha256Of(content));
    Files.delete(temp);
    clock.advance(Duration.ofSeconds(1));
    return f;
  }

  @Test
  void finishingAFileBeyondTheLimitEvictsTheLeastRecentlyUsedOthers() throws IOException {
    TaskFiles files = new TaskFiles(dir.resolve("data"), clock, new DiskQuota(2500, 0));
    HeldFile a = completed(files, "task-a", 1000);
    HeldFile b = completed(files, "task-b", 1000);
    files.completed(a.taskId());
    clock.advance(Duration.ofSeconds(1));

    HeldFile c = completed(files, "task-c", 1000);

    assertThat(files.held(b.taskId())).as("the least recently used").isEmpty();
    assertThat(b.path()).doesNotExist();
    assertThat(files.completed(a.taskId())).as("used again since").containsSame(a);
    assertThat(files.completed(c.taskId())).containsSame(c);
    assertThat(a.path()).exists();
  }

  @Test
  void aFileLargerThanTheWholeLimitIsKeptAloneRatherThanNotAtAll() throws IOException {
    TaskFiles files = new TaskFiles(dir.resolve("data"), clock, new DiskQuota(1500, 0));
    HeldFile a = completed(files, "task-a", 1000);

    HeldFile big = completed(files, "task-big", 2000);

    assertThat(files.held(a.taskId())).isEmpty();
    assertThat(files.completed(big.taskId())).as("the file just verified is what peers ask for next").containsSame(big);
    assertThat(new String(Files.readAllBytes(big.path()), StandardCharsets.ISO_8859_1)).hasSize(2000);
  }
}
