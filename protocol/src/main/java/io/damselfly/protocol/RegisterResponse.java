package io.damselfly.protocol;

/**
 * The supernode's answer to a registration.
 *
 * @param taskId the task for this content version
 * @param contentLength file length, -1 while unknown (chunked origin)
 * @param pieceSize bytes per piece
 * @param pieceCount number of pieces, -1 while unknown
 * @param status the task's state
 */
public record RegisterResponse(
    String taskId, long contentLength, int pieceSize, int pieceCount, TaskStatus status) {}
