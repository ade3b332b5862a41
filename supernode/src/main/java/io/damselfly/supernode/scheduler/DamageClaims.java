package io.damselfly.supernode.scheduler;

import io.damselfly.supernode.cdn.ClaimVerdict;
import io.damselfly.supernode.cdn.CdnTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the scheduler sends a peer's report that a CDN piece failed its digest: a claim the CDN checks
 * (and repairs) off the scheduler thread. A verdict of {@link ClaimVerdict#INTACT} counts against the reporter.
 */
@FunctionalInterface
public interface DamageClaims {
  /** Checks nothing: CDN pieces are trusted as stored. */
  DamageClaims NONE = (task, piece, reporter) -> CompletableFuture.completedFuture(ClaimVerdict.NOT_CHECKED);

  CompletionStage<ClaimVerdict> check(CdnTask task, int piece, String reporter);
}
