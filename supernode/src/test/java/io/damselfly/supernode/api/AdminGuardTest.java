package io.damselfly.supernode.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.transport.Request;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may call admin routes; remote callers are made-up addresses (no traffic is sent). */
class AdminGuardTest {
  private static Request from(String address, String authorization) throws Exception {
    var headers = new DefaultHttpHeaders();
    if (authorization != null) {
      headers.set("Authorization", authorization);
    }
    InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(address), 40000);
    return new Request(HttpMethod.DELETE, "/api/v1/tasks/t", "/api/v1/tasks/t", Map.of(), Map.of(), headers,
        new byte[0], remote, new InetSocketAddress(InetAddress.getLoopbackAddress(), 8002));
  }

  @Test
  void withoutATokenRemoteCallersAreRefused() throws Exception {
    AdminGuard guard = new AdminGuard(null);
    assertThatCode(() -> guard.require(from("127.0.0.1", null))).doesNotThrowAnyException();
    assertThatCode(() -> guard.require(from("::1", null))).doesNotThrowAnyException();
    Request remote = from("192.0.2.7", "Bearer anything-at-all-here");
    assertThatThrownBy(() -> guard.require(remote)).isInstanceOf(ApiException.class)
        .matches(e -> ((ApiException) e).code() == ErrorCode.FORBIDDEN).hasMessageContaining("--admin-token");
  }

  @Test
  void withATokenEveryCallerNeedsIt() throws Exception {
    AdminGuard guard = new AdminGuard("admin-token-0123456789");
    assertThatCode(() -> guard.require(from("192.0.2.7", "Bearer admin-token-0123456789"))).doesNotThrowAnyException();
    assertThatCode(() -> guard.require(from("192.0.2.7", "bearer admin-token-0123456789"))).doesNotThrowAnyException();
    Request loopbackWithout = from("127.0.0.1", null);
    assertThatThrownBy(() -> guard.require(loopbackWithout))
        .matches(e -> ((ApiException) e).code() == ErrorCode.UNAUTHORIZED);
    Request wrong = from("127.0.0.1", "Bearer admin-token-012345678");
    assertThatThrownBy(() -> guard.require(wrong)).matches(e -> ((ApiException) e).code() == ErrorCode.FORBIDDEN);
  }
}
