package io.damselfly.peer.download.session;

import io.damselfly.transport.ClusterAccess;
import io.damselfly.transport.Tls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * How a node talks to the rest of its cluster (supernodes, other peers' upload ports): a client that
 * speaks TLS when the cluster does, and requests that carry the cluster secret. Origins are reached
 * with the node's other client, so the secret and the cluster's CA never meet an origin.
 */
public record ClusterHttp(HttpClient client, ClusterAccess access) {
  public ClusterHttp {
    if (client == null || access == null) {
      throw new IllegalArgumentException("client and access must be given");
    }
  }

  /** Plain HTTP without a secret, over {@code client}. */
  public static ClusterHttp plain(HttpClient client) {
    return new ClusterHttp(client, ClusterAccess.NONE);
  }

  /**
   * The cluster client for {@code access}: {@code shared} when the cluster has no TLS, else a new client
   * (owned by the caller) that trusts the cluster's CA and presents the node's certificate.
   */
  public static ClusterHttp open(ClusterAccess access, HttpClient shared, Executor executor) {
    if (access.tls() == null) {
      return new ClusterHttp(shared, access);
    }
    HttpClient tls = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5))
        .sslContext(Tls.client(access.tls())).build();
    return new ClusterHttp(tls, access);
  }

  /** A request to {@code path} on the node at {@code authority} ({@code host:port}), carrying the secret. */
  public HttpRequest.Builder request(String authority, String path) {
    return access.request(access.uri(authority, path));
  }
}
