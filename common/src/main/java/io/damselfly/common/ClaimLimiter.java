package io.damselfly.common;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Rate limits the checks of claims that a stored piece is damaged, so a liar cannot keep a server hashing:
 * one check per key (a piece) per {@code interval}, whose verdict answers every claim against that key
 * meanwhile, and at most {@code perReporter} checks started by one reporter per interval. Thread-safe.
 *
 * @param <V> the verdict
 */
public final class ClaimLimiter<V> {
  private static final int MAX_ENTRIES = 10_000;

  private record Check<V>(Instant at, CompletableFuture<V> verdict) {}

  private record Budget(Instant since, int used) {}

  private final InstantSource clock;
  private final Duration interval;
  private final int perReporter;
  private final Map<String, Check<V>> checks = new ConcurrentHashMap<>();
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  public ClaimLimiter(InstantSource clock, Duration interval, int perReporter) {
    if (interval.isNegative() || interval.isZero() || perReporter < 1) {
      throw new IllegalArgumentException("interval must be positive and perReporter >= 1, got " + interval + ", "
          + perReporter);
    }
    this.clock = clock;
    this.interval = interval;
    this.perReporter = perReporter;
  }

  /**
   * The verdict on {@code reporter}'s claim against {@code key}: the one of a check within the interval, else
   * that of a new {@code check} when the reporter is within its budget, else {@code notChecked}.
   */
  public CompletableFuture<V> claim(String key, String reporter, Supplier<CompletableFuture<V>> check, V notChecked) {
    Instant now = clock.instant();
    Check<V> known = checks.get(key);
    if (known != null && fresh(known, now)) {
      return known.verdict();
    }
    Budget b = budgets.compute(reporter == null ? "" : reporter, (k, v) ->
        v == null || !now.isBefore(v.since().plus(interval)) ? new Budget(now, 1) : new Budget(v.since(), v.used() + 1));
    if (b.used() > perReporter) {
      return CompletableFuture.completedFuture(notChecked);
    }
    CompletableFuture<V> verdict = new CompletableFuture<>();
    Check<V> mine = new Check<>(now, verdict);
    Check<V> won = checks.compute(key, (k, v) -> v != null && fresh(v, now) ? v : mine);
    if (won != mine) {
      return won.verdict();
    }
    prune(now);
    check.get().whenComplete((v, e) -> {
      if (e != null) {
        verdict.completeExceptionally(e);
      } else {
        verdict.complete(v);
      }
    });
    return verdict;
  }

  private boolean fresh(Check<V> c, Instant now) {
    return now.isBefore(c.at().plus(interval));
  }

  private void prune(Instant now) {
    if (checks.size() > MAX_ENTRIES) {
      checks.values().removeIf(c -> !fresh(c, now) && c.verdict().isDone());
    }
    if (budgets.size() > MAX_ENTRIES) {
      budgets.values().removeIf(b -> !now.isBefore(b.since().plus(interval)));
    }
  }
}
