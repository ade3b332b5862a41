package io.damselfly.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsMessages() {
    ScheduleRequest r = new ScheduleRequest("p1", List.of(new PieceDone(3, "cdn")),
        List.of(new PieceFailure(4, "p2", FailureReason.DIGEST_MISMATCH, "bad")), 8);
    assertThat(Json.read(Json.write(r), ScheduleRequest.class)).isEqualTo(r);
  }

  @Test
  void ignoresUnknownFieldsForForwardCompatibility() {
    byte[] body = "{\"peerId\":\"p1\",\"want\":2,\"future\":true}".getBytes(StandardCharsets.UTF_8);
    assertThat(Json.read(body, ScheduleRequest.class).want()).isEqualTo(2);
  }

  @Test
  void malformedAndInvalidBodiesGiveShortReasons() {
    assertThatThrownBy(() -> Json.read("{".getBytes(), ScheduleRequest.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("body must be a JSON ScheduleRequest");
    assertThatThrownBy(() -> Json.read("null".getBytes(), ScheduleRequest.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.read("{\"want\":\"x\"}".getBytes(), ScheduleRequest.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.read(
            "{\"peer\":{\"peerId\":\"../x\",\"host\":\"h\",\"port\":1}}".getBytes(), RegisterRequest.class))
        .hasMessageContaining("peer id must be");
  }

  @Test
  void pathTemplatesEncodeValues() {
    assertThat(ProtocolV1.path(ProtocolV1.PEER, "t1", "p 1")).isEqualTo("/api/v1/tasks/t1/peers/p+1");
  }
}
