package io.damselfly.protocol;

/** The state of a task on the supernode: RUNNING, then SUCCESS or FAILED, then perhaps EVICTED. */
public enum TaskStatus {
  /** The CDN is fetching the origin; some pieces may already be stored. */
  RUNNING,
  /** Every piece is stored on the CDN. */
  SUCCESS,
  /** The origin fetch failed; no piece of this task is served. */
  FAILED,
  /**
   * The CDN removed the task's files (to make room, or on an admin's request); no piece is served and a new
   * registration fetches the file again.
   */
  EVICTED
}
