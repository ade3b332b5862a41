package io.damselfly.supernode.cdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.PieceLayout;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.TaskStatus;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A CDN task's status is one state machine: RUNNING, then SUCCESS or FAILED, then perhaps EVICTED. */
class CdnTaskTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aCompleteTaskIsEvictedAndThenGone() {
    CdnTask t = task();
    assertThat(t.gone()).isFalse();
    t.finish(1024, "sha256:" + "0".repeat(64));
    t.evict();
    assertThat(t.status()).isEqualTo(TaskStatus.EVICTED);
    assertThat(t.gone()).isTrue();
    assertThat(t.error()).isNull();
  }

  @Test
  void aFailedTaskKeepsItsErrorWhenEvicted() {
    CdnTask t = task();
    ErrorBody why = ErrorBody.of(ErrorCode.ORIGIN_ERROR, "origin answered 500");
    t.fail(why);
    assertThat(t.gone()).isTrue();
    t.evict();
    assertThat(t.status()).isEqualTo(TaskStatus.EVICTED);
    assertThat(t.error()).isEqualTo(why);
  }

  @Test
  void aRunningTaskIsNeverEvictedAndAnEvictedOneNeverFinishes() {
    CdnTask t = task();
    assertThatThrownBy(t::evict).isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING");
    assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
    t.finish(1024, "sha256:" + "0".repeat(64));
    t.evict();
    assertThatThrownBy(() -> t.fail(ErrorBody.of(ErrorCode.INTERNAL, "late"))).isInstanceOf(IllegalStateException.class);
  }

  private static CdnTask task() {
    return new CdnTask(TaskId.of("0123456789abcdef0123456789abcdef-c"), "0123456789abcdef0123456789abcdef",
        "http://o/f", Path.of("unused"), new PieceLayout(1024, 256), null, null, NOW);
  }
}
