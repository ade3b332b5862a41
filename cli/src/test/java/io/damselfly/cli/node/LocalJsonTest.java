package io.damselfly.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.ProgressEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** dfget's JDK-only JSON agrees with the node's Jackson both ways, on the messages of the local API. */
class LocalJsonTest {
  @Test
  void eventsReadAsJacksonWritesThemAndWrittenAsItDoes() {
    for (ProgressEvent e : List.of(
        new ProgressEvent(ProgressEvent.Type.DONE, "t1", 3_000_000_000L, 3_000_000_000L, 1, 2, 3, 90, "downloaded \"x\"\n", 0),
        new ProgressEvent(ProgressEvent.Type.ERROR, null, -1, 0, 0, 0, 0, 5, "ümlaut \\ tab\t ctrl\u0001", 5),
        new ProgressEvent(ProgressEvent.Type.PROGRESS, "t2", -1, 10, 0, 0, 10, 1, null, 0))) {
      String jackson = Json.writeString(e);
      assertThat(LocalJson.event(jackson)).isEqualTo(e);
      assertThat(LocalJson.write(e)).isEqualTo(jackson);
    }
  }

  @Test
  void aRequestWrittenHereIsTheSameRequestForJackson() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-B", List.of("1", "2"));
    headers.put("Authorization", List.of("Bearer \"q\""));
    DownloadRequest r = DownloadRequest.builder("http://h/f?a=1&b=2", "/o/ü f").headers(headers).identifier("id")
        .filter(List.of("a", "b")).expectedDigest("sha256:" + "ab".repeat(32)).localLimit(10).totalLimit(20)
        .timeoutMillis(30).backToSource(false).nodes(List.of("sn1:8002", "sn2:8002")).callSystem("ci").build();
    assertThat(Json.read(LocalJson.write(r).getBytes(StandardCharsets.UTF_8), DownloadRequest.class)).isEqualTo(r);
    DownloadRequest bare = DownloadRequest.builder("http://h/f", "/o").pattern(DownloadRequest.Pattern.SOURCE).build();
    assertThat(Json.read(LocalJson.write(bare).getBytes(StandardCharsets.UTF_8), DownloadRequest.class)).isEqualTo(bare);
  }

  @Test
  void nodeInfoAndUnknownMembersAreRead() {
    NodeInfo info = new NodeInfo("dfdaemon", "1.0", 42, 5000, "/h");
    assertThat(LocalJson.nodeInfo(Json.writeString(info))).isEqualTo(info);
    assertThat(LocalJson.object(" {\"a\": [1, 2.5, {\"b\": null}], \"c\": true} ")).containsEntry("c", true)
        .containsKey("a");
  }

  @Test
  void malformedTextIsRefusedWithWhereItBroke() {
    assertThatThrownBy(() -> LocalJson.object("{\"a\":}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 5");
    assertThatThrownBy(() -> LocalJson.object("[1]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalJson.object("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalJson.event("{\"type\":\"done\",\"totalBytes\":1.5}"))
        .hasMessageContaining("totalBytes");
  }
}
