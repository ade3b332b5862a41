package io.damselfly.e2e.faults;

import io.damselfly.common.ByteRange;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.RangeHeader;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer built to lie, speaking the real protocol: it registers with the supernode, fetches every piece
 * honestly from the CDN and reports it, so the scheduler names it as a source; then it serves every
 * piece with one byte flipped and claims in its piece map to hold them all. It counts the bad pieces it
 * served, per requesting peer.
 */
final class LiarPeer implements AutoCloseable {
  private final String peerId = "liar-" + Long.toHexString(System.nanoTime());
  private final HttpClient http = HttpClient.newHttpClient();
  private final HttpServer server;
  private final Map<String, AtomicInteger> badByRequester = new ConcurrentHashMap<>();
  private volatile byte[] content = new byte[0];
  private volatile String taskId = "";
  private volatile int pieceSize = 1;
  private volatile Thread heartbeat;

  LiarPeer() {
    Router router = new Router()
        .get(ProtocolV1.FILE, this::lie)
        .get(ProtocolV1.PIECE_MAP, r -> {
          BitSet all = new BitSet();
          all.set(0, (content.length + pieceSize - 1) / pieceSize);
          return Response.ok(PieceMap.of(taskId, pieceSize, all));
        });
    server = HttpServer.start(ServerConfig.defaults("liar", 0).withBindHost("127.0.0.1"), router);
  }

  String peerId() {
    return peerId;
  }

  /** Bad pieces served, by the peer id that asked. */
  Map<String, Integer> badPiecesByRequester() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    badByRequester.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  int badPieces() {
    return badByRequester.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Downloads {@code url} through {@code supernode} (host:port) honestly, then keeps announcing itself. */
  void join(String supernode, String url) throws IOException, InterruptedException {
    RegisterResponse reg = call(supernode, ProtocolV1.REGISTER, new RegisterRequest(url, null, null, null, null,
        new PeerAddress(peerId, "127.0.0.1", server.port())), RegisterResponse.class);
    byte[] data = new byte[Math.toIntExact(reg.contentLength())];
    String schedule = ProtocolV1.path(ProtocolV1.SCHEDULE, reg.taskId());
    List<PieceDone> done = new ArrayList<>();
    while (true) {
      ScheduleResponse r = call(supernode, schedule, new ScheduleRequest(peerId, done, List.of(), 16), ScheduleResponse.class);
      done = new ArrayList<>();
      if (r.status() == ScheduleResponse.Status.DONE) {
        break;
      }
      if (r.status() == ScheduleResponse.Status.FAILED) {
        throw new IOException("the task failed: " + r.error());
      }
      for (Assignment a : r.assignments()) {
        Source cdn = a.sources().get(a.sources().size() - 1);
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + cdn.host() + ":" + cdn.port()
                + ProtocolV1.path(ProtocolV1.FILE, reg.taskId())))
            .header("Range", new ByteRange(a.offset(), a.length()).toRangeHeader()).build();
        byte[] piece = http.send(get, HttpResponse.BodyHandlers.ofByteArray()).body();
        System.arraycopy(piece, 0, data, (int) a.offset(), a.length());
        done.add(new PieceDone(a.piece(), cdn.peerId()));
      }
    }
    content = data;
    pieceSize = reg.pieceSize();
    taskId = reg.taskId();
    heartbeat = Thread.ofVirtual().start(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(1000);
          call(supernode, schedule, new ScheduleRequest(peerId, List.of(), List.of(), 0), ScheduleResponse.class);
        }
      } catch (IOException | InterruptedException e) {
        // stopped, or the supernode dropped the liar: either way it stops announcing itself
      }
    });
  }

  private Response lie(Request r) {
    byte[] all = content;
    ByteRange range = RangeHeader.parse(r.headers().get("Range"), all.length);
    byte[] slice = java.util.Arrays.copyOfRange(all, (int) range.start(), (int) range.endExclusive());
    slice[slice.length / 2] ^= (byte) 0xff;
    String who = r.headers().get(ProtocolV1.HEADER_PEER_ID);
    badByRequester.computeIfAbsent(who == null ? "?" : who, k -> new AtomicInteger()).incrementAndGet();
    var headers = Response.protocolHeaders()
        .set("Content-Range", "bytes " + range.start() + "-" + range.endInclusive() + "/" + all.length)
        .set("Content-Type", "application/octet-stream");
    return new Response.Full(HttpResponseStatus.PARTIAL_CONTENT, headers, slice);
  }

  private <T> T call(String supernode, String path, Object body, Class<T> type) throws IOException, InterruptedException {
    HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create("http://" + supernode + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() / 100 != 2) {
      throw new IOException(path + " answered " + res.statusCode() + ": " + new String(res.body()));
    }
    return Json.read(res.body(), type);
  }

  @Override
  public void close() {
    Thread beat = heartbeat;
    if (beat != null) {
      beat.interrupt();
    }
    server.close();
    http.close();
  }
}
