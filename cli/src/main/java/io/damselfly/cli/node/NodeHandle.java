package io.damselfly.cli.node;

/**
 * The peer node a download goes to: a running one found by its local port, or one embedded in this
 * process for this download only ({@link #close()} stops it).
 */
public final class NodeHandle implements AutoCloseable {
  private final int localPort;
  private final String description;
  private final AutoCloseable embedded;

  private NodeHandle(int localPort, String description, AutoCloseable embedded) {
    this.localPort = localPort;
    this.description = description;
    this.embedded = embedded;
  }

  /** A node running in its own process (or someone else's), reached on {@code localPort}. */
  public static NodeHandle running(int localPort, String description) {
    return new NodeHandle(localPort, description, null);
  }

  /** A node started in this process, reached on {@code localPort}; closing the handle closes {@code node}. */
  public static NodeHandle embedded(int localPort, AutoCloseable node) {
    return new NodeHandle(localPort, "in-process node (pid " + ProcessHandle.current().pid() + ")", node);
  }

  public int localPort() {
    return localPort;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop the in-process node: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return description + " on 127.0.0.1:" + localPort;
  }
}
