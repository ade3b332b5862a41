package io.damselfly.protocol;

import java.util.List;
import java.util.Map;

/**
 * What dfget hands to its host's peer node ({@link ProtocolV1#LOCAL_DOWNLOADS}).
 *
 * @param url origin URL
 * @param output absolute path of the file to write (atomically; nothing there on failure)
 * @param headers headers for the origin, in order, repeated names allowed
 * @param identifier {@code --identifier}, may be null
 * @param filter {@code --filter} query parameter names
 * @param expectedDigest {@code md5:HEX} or {@code sha256:HEX}, may be null
 * @param pattern p2p, cdn or source
 * @param localLimit bytes per second for this download, 0 for none
 * @param totalLimit bytes per second for all downloads of the host, 0 to leave the node's setting
 * @param timeoutMillis whole-download timeout, 0 for none
 * @param backToSource fall back to the origin when no supernode can be used ({@code !--notbs})
 * @param nodes supernodes as host[:port], in failover order
 * @param callSystem the caller's name ({@code --callsystem}), for logs
 */
public record DownloadRequest(
    String url,
    String output,
    Map<String, List<String>> headers,
    String identifier,
    List<String> filter,
    String expectedDigest,
    String pattern,
    long localLimit,
    long totalLimit,
    long timeoutMillis,
    boolean backToSource,
    List<String> nodes,
    String callSystem) {
  public DownloadRequest {
    headers = Headers.ordered(headers);
    filter = filter == null ? List.of() : List.copyOf(filter);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }
}
