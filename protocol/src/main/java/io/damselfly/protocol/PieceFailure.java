package io.damselfly.protocol;

/** A failed attempt to fetch {@code piece} from {@code source}. */
public record PieceFailure(int piece, String source, FailureReason reason, String detail) {}
