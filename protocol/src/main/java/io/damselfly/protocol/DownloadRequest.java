package io.damselfly.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * What dfget hands to its host's peer node ({@link ProtocolV1#LOCAL_DOWNLOADS}). Made with
 * {@link #builder(String, String)}, whose defaults are dfget's.
 *
 * @param url origin URL
 * @param output absolute path of the file to write (atomically; nothing there on failure)
 * @param headers headers for the origin, in order, repeated names allowed
 * @param identifier {@code --identifier}, may be null
 * @param filter {@code --filter} query parameter names
 * @param expectedDigest {@code md5:HEX} or {@code sha256:HEX}, may be null
 * @param pattern p2p (when not given), cdn or source
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
    Pattern pattern,
    long localLimit,
    long totalLimit,
    long timeoutMillis,
    boolean backToSource,
    List<String> nodes,
    String callSystem) {
  public DownloadRequest {
    if (url == null || output == null) {
      throw new IllegalArgumentException("url and output must be given");
    }
    headers = Headers.ordered(headers);
    filter = filter == null ? List.of() : List.copyOf(filter);
    pattern = pattern == null ? Pattern.P2P : pattern;
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  /** How a download gets its bytes ({@code --pattern}); on the wire in lower case. */
  public enum Pattern {
    /** From peers and the supernode's CDN, uploading to other peers. */
    P2P,
    /** From the supernode's CDN only, uploading nothing. */
    CDN,
    /** Straight from the origin. */
    SOURCE;

    @JsonValue
    public String wire() {
      return WireNames.of(this);
    }

    /** The pattern named {@code name} ({@code p2p}, {@code cdn} or {@code source}). */
    @JsonCreator
    public static Pattern of(String name) {
      return WireNames.parse(values(), "pattern", name);
    }
  }

  /** A request for {@code url} into {@code output}, with dfget's defaults for everything else. */
  public static Builder builder(String url, String output) {
    return new Builder(url, output);
  }

  /**
   * Builds a {@link DownloadRequest}. Defaults: no origin headers, identifier, filter or expected digest;
   * pattern p2p; no rate caps and no timeout; back-to-source allowed; no supernodes; no caller name.
   */
  public static final class Builder {
    private final String url;
    private final String output;
    private Map<String, List<String>> headers = Map.of();
    private String identifier;
    private List<String> filter = List.of();
    private String expectedDigest;
    private Pattern pattern = Pattern.P2P;
    private long localLimit;
    private long totalLimit;
    private long timeoutMillis;
    private boolean backToSource = true;
    private List<String> nodes = List.of();
    private String callSystem;

    private Builder(String url, String output) {
      this.url = url;
      this.output = output;
    }

    public Builder headers(Map<String, List<String>> headers) {
      this.headers = headers;
      return this;
    }

    public Builder identifier(String identifier) {
      this.identifier = identifier;
      return this;
    }

    public Builder filter(List<String> filter) {
      this.filter = filter;
      return this;
    }

    public Builder expectedDigest(String expectedDigest) {
      this.expectedDigest = expectedDigest;
      return this;
    }

    public Builder pattern(Pattern pattern) {
      this.pattern = pattern;
      return this;
    }

    public Builder localLimit(long bytesPerSecond) {
      this.localLimit = bytesPerSecond;
      return this;
    }

    public Builder totalLimit(long bytesPerSecond) {
      this.totalLimit = bytesPerSecond;
      return this;
    }

    public Builder timeoutMillis(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
      return this;
    }

    public Builder backToSource(boolean allowed) {
      this.backToSource = allowed;
      return this;
    }

    public Builder nodes(List<String> nodes) {
      this.nodes = nodes;
      return this;
    }

    public Builder callSystem(String callSystem) {
      this.callSystem = callSystem;
      return this;
    }

    public DownloadRequest build() {
      return new DownloadRequest(url, output, headers, identifier, filter, expectedDigest, pattern, localLimit,
          totalLimit, timeoutMillis, backToSource, nodes, callSystem);
    }
  }
}
