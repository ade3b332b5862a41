package io.damselfly.supernode.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.PieceDone;
import io.damselfly.protocol.PieceFailure;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleRequest;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import io.damselfly.transport.HttpServer;
import io.damselfly.transport.PieceFiles;
import io.damselfly.transport.RangeFileHandler;
import io.damselfly.transport.Router;
import io.damselfly.transport.ServerConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A minimal real peer for API tests: registers, asks for work, fetches each assigned piece by
 * Range from its first working source, verifies its SHA-256, writes it, reports it, and serves
 * what it holds on an upload server of its own.
 */
final class TestPeer implements AutoCloseable {
  private static final int MAX_ROUNDS = 200;

  private final String id;
  private final ApiClient api;
  private final Path file;
  private final HttpServer uploads;
  private final BitSet have = new BitSet();
  private final List<PieceFailure> failures = new ArrayList<>();
  private volatile RegisterResponse task;

  TestPeer(String id, ApiClient api, Path file) {
    this.id = id;
    this.api = api;
    this.file = file;
    PieceFiles held = t -> task != null && t.equals(TaskId.of(task.taskId())) ? Optional.of(served()) : Optional.empty();
    this.uploads = HttpServer.start(ServerConfig.defaults("peer-" + id, 0).withBindHost("127.0.0.1"),
        RangeFileHandler.mount(new Router(), held));
  }

  String id() {
    return id;
  }

  Path file() {
    return file;
  }

  /** Failed fetches this peer reported. */
  List<PieceFailure> failures() {
    return List.copyOf(failures);
  }

  RegisterResponse register(String url) throws Exception {
    PeerAddress me = new PeerAddress(id, "127.0.0.1", uploads.port());
    task = api.call(ProtocolV1.REGISTER, new RegisterRequest(url, null, null, null, null, me), RegisterResponse.class);
    return task;
  }

  ScheduleResponse schedule(List<PieceDone> done, List<PieceFailure> failed, int want) throws Exception {
    String path = ProtocolV1.path(ProtocolV1.SCHEDULE, task.taskId());
    return api.call(path, new ScheduleRequest(id, done, failed, want), ScheduleResponse.class);
  }

  /** Downloads until the supernode answers DONE or FAILED; returns that answer. */
  ScheduleResponse download() throws Exception {
    List<PieceDone> done = new ArrayList<>();
    List<PieceFailure> failed = new ArrayList<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ScheduleResponse r = schedule(done, failed, 16);
      done = new ArrayList<>();
      failed = new ArrayList<>();
      switch (r.status()) {
        case DONE, FAILED -> {
          return r;
        }
        case WAIT -> { }
        case ASSIGNED -> {
          for (Assignment a : r.assignments()) {
            fetch(a, done, failed);
          }
        }
      }
    }
    throw new AssertionError(id + " was not done after " + MAX_ROUNDS + " schedule rounds");
  }

  private void fetch(Assignment a, List<PieceDone> done, List<PieceFailure> failed) throws Exception {
    for (Source s : a.sources()) {
      HttpResponse<byte[]> r = api.range(s.host(), s.port(), task.taskId(), a.offset(), a.length(), id);
      if (r.statusCode() != 206) {
        PieceFailure f = new PieceFailure(a.piece(), s.peerId(), FailureReason.HTTP_ERROR, "status " + r.statusCode());
        failed.add(f);
        failures.add(f);
        continue;
      }
      assertThat(Digest.sha256Of(r.body()).toString()).as("piece %d from %s", a.piece(), s.peerId())
          .isEqualTo(a.digest());
      write(a.offset(), r.body());
      synchronized (have) {
        have.set(a.piece());
      }
      done.add(new PieceDone(a.piece(), s.peerId()));
      return;
    }
  }

  private void write(long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  private PieceFiles.ServedFile served() {
    return new PieceFiles.ServedFile() {
      @Override public Path path() { return file; }
      @Override public long totalLength() { return task.contentLength(); }
      @Override public boolean holds(long start, long length) {
        int size = task.pieceSize();
        synchronized (have) {
          for (long p = start / size; p <= (start + length - 1) / size; p++) {
            if (!have.get((int) p)) {
              return false;
            }
          }
        }
        return length > 0;
      }
    };
  }

  @Override
  public void close() {
    uploads.close();
  }
}
