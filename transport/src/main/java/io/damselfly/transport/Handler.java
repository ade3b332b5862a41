package io.damselfly.transport;

/**
 * Handles one request. Runs on a virtual thread, so it may block (long polls, disk, upstream HTTP).
 * Throw {@link io.damselfly.protocol.ApiException} or {@link IllegalArgumentException} to answer with an error.
 */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
