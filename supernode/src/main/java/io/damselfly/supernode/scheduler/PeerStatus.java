package io.damselfly.supernode.scheduler;

/** A peer's state machine: ACTIVE → ISOLATED (a bad source) → GONE; ACTIVE → GONE (left, expired). */
public enum PeerStatus {
  ACTIVE,
  ISOLATED,
  GONE;

  /** The next state, or an exception naming the illegal move. */
  PeerStatus moveTo(PeerStatus next) {
    boolean ok = switch (this) {
      case ACTIVE -> next == ISOLATED || next == GONE;
      case ISOLATED -> next == GONE;
      case GONE -> false;
    };
    if (!ok) {
      throw new IllegalStateException("peer cannot move from " + this + " to " + next);
    }
    return next;
  }
}
