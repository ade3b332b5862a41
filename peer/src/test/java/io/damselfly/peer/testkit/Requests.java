package io.damselfly.peer.testkit;

import io.damselfly.protocol.DownloadRequest;
import java.nio.file.Path;
import java.util.List;

/** Builds {@link DownloadRequest}s: p2p, no digest, no caps, no timeout, back-to-source off. */
public final class Requests {
  private final String url;
  private final Path output;
  private List<String> nodes = List.of();
  private DownloadRequest.Pattern pattern = DownloadRequest.Pattern.P2P;
  private String digest;
  private long localLimit;
  private long timeoutMillis;
  private boolean backToSource;

  private Requests(String url, Path output) {
    this.url = url;
    this.output = output;
  }

  public static Requests download(String url, Path output) {
    return new Requests(url, output);
  }

  /** Supernodes as host:port, in failover order. */
  public Requests nodes(String... hostPorts) {
    this.nodes = List.of(hostPorts);
    return this;
  }

  public Requests pattern(String p) {
    this.pattern = DownloadRequest.Pattern.of(p);
    return this;
  }

  /** The digest the file must have: {@code md5:HEX} or {@code sha256:HEX}. */
  public Requests digest(String d) {
    this.digest = d;
    return this;
  }

  public Requests localLimit(long bytesPerSecond) {
    this.localLimit = bytesPerSecond;
    return this;
  }

  public Requests timeoutMillis(long millis) {
    this.timeoutMillis = millis;
    return this;
  }

  public Requests backToSource(boolean allowed) {
    this.backToSource = allowed;
    return this;
  }

  public DownloadRequest build() {
    return DownloadRequest.builder(url, output.toString()).expectedDigest(digest).pattern(pattern)
        .localLimit(localLimit).timeoutMillis(timeoutMillis).backToSource(backToSource).nodes(nodes)
        .callSystem("peer-tests").build();
  }
}
