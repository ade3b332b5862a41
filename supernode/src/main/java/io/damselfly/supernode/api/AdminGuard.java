package io.damselfly.supernode.api;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.transport.Handler;
import io.damselfly.transport.Request;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Admits callers of admin routes (task deletion, preheat): with a configured token, those that send
 * {@code Authorization: Bearer <token>} (compared in constant time); without one, loopback callers only.
 */
public final class AdminGuard {
  private static final String BEARER = "Bearer ";
  private final byte[] tokenDigest;

  /** @param token the admin token, or null to admit loopback callers only */
  public AdminGuard(String token) {
    this.tokenDigest = token == null ? null : sha256(token);
  }

  /** Throws 401 (no token sent), 403 (wrong token, or a remote caller when no token is configured). */
  public void require(Request r) {
    if (tokenDigest == null) {
      if (r.remote() == null || !r.remote().getAddress().isLoopbackAddress()) {
        throw new ApiException(ErrorCode.FORBIDDEN,
            "admin operations answer callers on the supernode's host only; configure --admin-token to allow others");
      }
      return;
    }
    String auth = r.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth == null || !auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new ApiException(ErrorCode.UNAUTHORIZED, "admin operations need 'Authorization: Bearer <admin token>'");
    }
    if (!MessageDigest.isEqual(tokenDigest, sha256(auth.substring(BEARER.length()).trim()))) {
      throw new ApiException(ErrorCode.FORBIDDEN, "wrong admin token");
    }
  }

  /** {@code handler}, answered only for admitted callers. */
  public Handler protect(Handler handler) {
    return r -> {
      require(r);
      return handler.handle(r);
    };
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
