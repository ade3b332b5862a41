package io.damselfly.supernode.security;

import io.damselfly.protocol.Json;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.TaskStatus;
import io.damselfly.protocol.TaskView;
import io.damselfly.testing.fuzz.RawHttp;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Setup steps the security tests share. */
final class Fixtures {
  private Fixtures() {}

  /** Registers {@code peerId} (not uploading) for {@code url} and waits until the CDN stored the file. */
  static String registerAndWait(int apiPort, String url, String peerId) throws IOException, InterruptedException {
    String body = Json.writeString(new RegisterRequest(url, Map.of(), null, List.of(), null,
        new PeerAddress(peerId, "127.0.0.1", 0)));
    RawHttp.Answer a = RawHttp.exchange(apiPort, RawHttp.request("POST", ProtocolV1.REGISTER, body));
    if (a.status() != 200) {
      throw new IllegalStateException("registration failed: " + a);
    }
    String id = Json.read(a.body(), RegisterResponse.class).taskId();
    for (int i = 0; i < 1200; i++) {
      RawHttp.Answer v = RawHttp.exchange(apiPort, RawHttp.request("GET", ProtocolV1.path(ProtocolV1.TASK, id), null));
      if (v.status() == 200 && Json.read(v.body(), TaskView.class).status() == TaskStatus.SUCCESS) {
        return id;
      }
      Thread.sleep(25);
    }
    throw new IllegalStateException("the CDN did not store " + url);
  }
}
