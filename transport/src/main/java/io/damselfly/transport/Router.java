package io.damselfly.transport;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps method and path templates (such as {@code /api/v1/tasks/{taskId}}) to handlers. Built once,
 * then read by many threads. Unmatched paths go to the fallback (404 unless one is set).
 */
public final class Router {
  private record Route(HttpMethod method, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private Handler fallback = r -> { throw new ApiException(ErrorCode.NOT_FOUND, "no route for " + r.path()); };

  public Router get(String template, Handler handler) {
    return add(HttpMethod.GET, template, handler);
  }

  public Router post(String template, Handler handler) {
    return add(HttpMethod.POST, template, handler);
  }

  public Router delete(String template, Handler handler) {
    return add(HttpMethod.DELETE, template, handler);
  }

  public Router head(String template, Handler handler) {
    return add(HttpMethod.HEAD, template, handler);
  }

  public Router add(HttpMethod method, String template, Handler handler) {
    routes.add(new Route(method, split(template), handler));
    return this;
  }

  /** Handles every request no route matches (a proxy's pass-through, for example). */
  public Router fallback(Handler handler) {
    this.fallback = handler;
    return this;
  }

  /** Finds the handler for a request; path parameters are URL-decoded and never contain '/'. */
  Match match(HttpMethod method, String path) {
    String[] parts = split(path);
    boolean pathMatched = false;
    for (Route route : routes) {
      Map<String, String> params = bind(route.segments, parts);
      if (params == null) {
        continue;
      }
      if (route.method.equals(method) || (method.equals(HttpMethod.HEAD) && route.method.equals(HttpMethod.GET) && !hasHead(path))) {
        return new Match(route.handler, params);
      }
      pathMatched = true;
    }
    if (pathMatched) {
      return new Match(
          r -> { throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + r.path()); },
          Map.of());
    }
    return new Match(fallback, Map.of());
  }

  private boolean hasHead(String path) {
    String[] parts = split(path);
    for (Route r : routes) {
      if (r.method.equals(HttpMethod.HEAD) && bind(r.segments, parts) != null) {
        return true;
      }
    }
    return false;
  }

  record Match(Handler handler, Map<String, String> params) {}

  private static Map<String, String> bind(String[] template, String[] parts) {
    if (template.length != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        String value;
        try {
          value = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return null;
        }
        if (value.isEmpty() || value.contains("/") || value.contains("\\") || value.indexOf('\0') >= 0) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), value);
      } else if (!t.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String p = path;
    int q = p.indexOf('?');
    if (q >= 0) {
      p = p.substring(0, q);
    }
    return java.util.Arrays.stream(p.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
  }
}
