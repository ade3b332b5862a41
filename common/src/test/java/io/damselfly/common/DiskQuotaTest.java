package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiskQuotaTest {
  private final DiskQuota quota = new DiskQuota(100, 10);

  @Test
  void anEntryFitsOnlyWithinTheSizeLimitAndAboveTheWatermark() {
    assertThat(quota.fits(60, 1000, 40)).isTrue();
    assertThat(quota.fits(61, 1000, 40)).as("over the size limit").isFalse();
    assertThat(quota.fits(0, 49, 40)).as("below the free-space watermark").isFalse();
    assertThat(quota.fits(0, 1000, 101)).as("larger than the whole cache").isFalse();
    assertThat(DiskQuota.UNLIMITED.fits(Long.MAX_VALUE - 5, Long.MAX_VALUE, 5)).isTrue();
  }

  @Test
  void victimsAreTheLeastRecentlyUsedPrefixThatMakesRoom() {
    List<Long> lru = List.of(30L, 20L, 40L);

    assertThat(quota.victims(lru, Long::longValue, 90, 1000, 30)).contains(List.of(30L));
    assertThat(quota.victims(lru, Long::longValue, 90, 1000, 45)).contains(List.of(30L, 20L));
    assertThat(quota.victims(lru, Long::longValue, 10, 1000, 30)).contains(List.of());
    assertThat(quota.victims(lru, Long::longValue, 90, 1000, 101)).as("cannot fit: nothing is evicted").isEmpty();
  }

  @Test
  void refusalsNameTheLimitThatStopsTheEntry() {
    assertThat(quota.refusal("task x", 80, 1000, 30)).contains("task x needs 30 B").contains("cache limit is 100 B");
    assertThat(quota.refusal("task x", 0, 20, 30)).contains("only 20 B is free").contains("10 B must stay free");
    assertThatThrownBy(() -> new DiskQuota(-1, 0)).hasMessageContaining("cache size limit must be >= 0");
    assertThatThrownBy(() -> new DiskQuota(1, -1)).hasMessageContaining("watermark must be >= 0");
  }
}
