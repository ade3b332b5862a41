package io.damselfly.protocol;

/** Why fetching a piece from a source failed. */
public enum FailureReason {
  /** The bytes did not match the piece digest: proof that the source is bad. */
  DIGEST_MISMATCH,
  TIMEOUT,
  CONNECT,
  HTTP_ERROR,
  IO
}
