package io.damselfly.transport;

/**
 * A kept connection the server had closed while it was idle: nothing was answered on it, so the request may be
 * sent again on another connection. Used by the piece and API clients, never seen by their callers.
 */
final class StaleConnection extends Exception {
  StaleConnection() {
    super("kept connection was closed by the server", null, false, false);
  }
}
