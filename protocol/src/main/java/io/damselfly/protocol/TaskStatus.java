package io.damselfly.protocol;

/** The state of a task on the supernode. */
public enum TaskStatus {
  /** The CDN is fetching the origin; some pieces may already be stored. */
  RUNNING,
  /** Every piece is stored on the CDN. */
  SUCCESS,
  /** The origin fetch failed; no piece of this task is served. */
  FAILED
}
