package io.damselfly.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void requestsKeepTheOrderOfHeaderNamesAndValuesThroughJson() {
    Map<String, List<String>> given = new LinkedHashMap<>();
    for (String name : List.of("X-Z", "Authorization", "X-A", "Accept", "X-M", "Cookie", "X-B")) {
      given.put(name, List.of(name + "-1", name + "-2"));
    }
    DownloadRequest req = DownloadRequest.builder("http://o/f", "/tmp/f").headers(given).build();

    DownloadRequest back = Json.read(Json.write(req), DownloadRequest.class);

    assertThat(back.headers().keySet()).containsExactlyElementsOf(given.keySet());
    assertThat(back.headers().get("Accept")).containsExactly("Accept-1", "Accept-2");
    RegisterRequest reg = new RegisterRequest("http://o/f", given, null, null, null,
        new PeerAddress("p", "127.0.0.1", 0));
    assertThat(reg.headers().keySet()).containsExactlyElementsOf(given.keySet());
  }

  @Test
  void aNullValueListIsRefused() {
    Map<String, List<String>> bad = new LinkedHashMap<>();
    bad.put("X", null);
    assertThatThrownBy(() -> Headers.ordered(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headers");
  }

  @Test
  void oneSetOfHopByHopHeadersInAnyCase() {
    for (String name : List.of("Connection", "keep-alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
        "Upgrade", "Host", "Content-Length", "Expect", "Proxy-Authorization")) {
      assertThat(Headers.hopByHop(name)).as(name).isTrue();
    }
    for (String name : List.of("Authorization", "Accept", "Cookie", "Range", "X-Custom")) {
      assertThat(Headers.hopByHop(name)).as(name).isFalse();
    }
  }
}
