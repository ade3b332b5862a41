package io.damselfly.transport;

import io.damselfly.protocol.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as handlers see it: fully read, immutable, detached from Netty's buffers.
 *
 * @param uri the raw request target (origin-form, or absolute-form for proxies)
 * @param pathParams values of the route template's {@code {name}} parameters
 */
public record Request(
    HttpMethod method,
    String uri,
    String path,
    Map<String, List<String>> query,
    Map<String, String> pathParams,
    HttpHeaders headers,
    byte[] body,
    InetSocketAddress remote,
    InetSocketAddress local) {

  /** A path parameter; the router guarantees it is present. */
  public String param(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing path parameter " + name);
    }
    return v;
  }

  /** First value of a query parameter, or null. */
  public String queryParam(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** Decodes the body as JSON of {@code type}; malformed bodies become 400 answers. */
  public <T> T json(Class<T> type) {
    if (body.length == 0) {
      throw new IllegalArgumentException("body must be a JSON " + type.getSimpleName() + ", got an empty body");
    }
    return Json.read(body, type);
  }

  static Map<String, List<String>> decodeQuery(String uri) {
    return new QueryStringDecoder(uri).parameters();
  }
}
