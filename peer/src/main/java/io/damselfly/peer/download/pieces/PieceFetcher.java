package io.damselfly.peer.download.pieces;

import io.damselfly.common.Digest;
import io.damselfly.common.TaskId;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.protocol.Assignment;
import io.damselfly.protocol.FailureReason;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import io.damselfly.transport.RangeClient;
import io.damselfly.transport.RangeException;
import java.time.Duration;
import java.util.Map;

/**
 * Fetches one piece from one source with a Range request into a caller's buffer and verifies its
 * SHA-256 there, before a byte of it reaches the disk. The bytes travel over the node's {@link RangeClient}:
 * its event loop fills the buffer, this (virtual) thread waits for the end and hashes.
 */
public final class PieceFetcher {
  private final RangeClient client;
  private final Duration timeout;
  private final Map<String, String> headers;
  private final PieceListener listener;
  private final DamageReports damage;

  public PieceFetcher(RangeClient client, Duration timeout, String peerId, PieceListener listener) {
    this(client, timeout, peerId, listener, DamageReports.NONE);
  }

  /** @param damage told of every piece from a peer that failed its digest, so that peer checks its copy */
  public PieceFetcher(RangeClient client, Duration timeout, String peerId, PieceListener listener,
      DamageReports damage) {
    this.client = client;
    this.timeout = timeout;
    this.headers = Map.of(ProtocolV1.HEADER_PEER_ID, peerId);
    this.listener = listener;
    this.damage = damage;
  }

  /** Why a fetch from one source failed, in the scheduler's terms. */
  public static final class Failed extends Exception {
    public final FailureReason reason;
    /** The source answered BUSY: no fault of it, it serves as many uploads as it takes; ask again later. */
    public final boolean busy;

    Failed(FailureReason reason, String detail) {
      this(reason, detail, false);
    }

    Failed(FailureReason reason, String detail, boolean busy) {
      super(detail);
      this.reason = reason;
      this.busy = busy;
    }
  }

  /** Fills {@code buffer[0, a.length())} with the verified piece. */
  public void fetch(TaskId task, Assignment a, Source source, byte[] buffer, Throttles.Gate gate)
      throws Failed, InterruptedException {
    long start = System.nanoTime();
    try {
      fetchVerified(task, a, source, buffer, gate);
    } catch (Failed f) {
      if (f.busy) {
        throw f;
      }
      listener.failed(source.isCdn(), f.reason);
      if (f.reason == FailureReason.DIGEST_MISMATCH && !source.isCdn()) {
        damage.report(task, a.piece(), source); // the supernode checks its own copy from the schedule report
      }
      throw f;
    }
    listener.fetched(source.isCdn(), a.length(), System.nanoTime() - start);
  }

  private void fetchVerified(TaskId task, Assignment a, Source source, byte[] buffer, Throttles.Gate gate)
      throws Failed, InterruptedException {
    try {
      client.get(source.host(), source.port(), ProtocolV1.path(ProtocolV1.FILE, task.value()), headers, a.offset(),
          buffer, a.length(), gate, timeout);
    } catch (RangeException e) {
      throw new Failed(reason(e.kind()), source.peerId() + ": " + e.getMessage(), e.kind() == RangeException.Kind.BUSY);
    }
    Digest got = Digest.of(Digest.Algorithm.SHA256, buffer, 0, a.length());
    if (!got.toString().equals(a.digest())) {
      throw new Failed(FailureReason.DIGEST_MISMATCH,
          "piece " + a.piece() + " from " + source.peerId() + " has " + got + ", expected " + a.digest());
    }
  }

  private static FailureReason reason(RangeException.Kind kind) {
    return switch (kind) {
      case CONNECT -> FailureReason.CONNECT;
      case TIMEOUT -> FailureReason.TIMEOUT;
      case STATUS, BUSY, LONG -> FailureReason.HTTP_ERROR;
      case SHORT, IO -> FailureReason.IO;
    };
  }
}
