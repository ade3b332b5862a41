package io.damselfly.protocol;

/** A piece the peer fetched and verified, and the source ({@code peerId} or "cdn") it came from. */
public record PieceDone(int piece, String source) {}
