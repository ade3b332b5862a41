package io.damselfly.protocol;

/**
 * A host's peer node describing itself.
 *
 * @param kind {@code dfget-server} or {@code dfdaemon}
 * @param pid its process id
 * @param uploadPort the port other peers fetch pieces from
 * @param home its home directory (data, logs)
 */
public record NodeInfo(String kind, String version, long pid, int uploadPort, String home) {}
