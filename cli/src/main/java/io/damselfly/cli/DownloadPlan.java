package io.damselfly.cli;

import io.damselfly.protocol.DownloadRequest;
import java.nio.file.Path;

/**
 * A validated dfget invocation.
 *
 * @param request what the node is asked to do
 * @param home the home directory (data, logs, node.json, spawn lock)
 * @param showBar draw a progress bar on stderr
 * @param machine {@code --dfdaemon}: the result is one JSON line on stdout, no bar
 * @param console logs on stderr too
 * @param useDaemon try a dfdaemon on {@code daemonPort} first
 * @param daemonPort local port of this host's dfdaemon
 * @param server flags for a dfget node this invocation may start
 * @param note why the request differs from the flags (fallback to the origin), or null
 */
public record DownloadPlan(DownloadRequest request, Path home, boolean showBar, boolean machine, boolean console,
    boolean useDaemon, int daemonPort, ServerArgs server, String note) {

  public Path output() {
    return Path.of(request.output());
  }
}
