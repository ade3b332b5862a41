package io.damselfly.supernode.cdn;

/** What checking a peer's claim that a CDN piece failed its digest found. */
public enum ClaimVerdict {
  /** The stored piece is damaged: the claim held; the piece is withheld and fetched again. */
  DAMAGED,
  /** The stored piece has its digest: the claim was false and counts against the reporter. */
  INTACT,
  /** Not checked (the reporter is over its budget, or the piece is not stored): counts for nobody. */
  NOT_CHECKED
}
