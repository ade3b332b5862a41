package io.damselfly.supernode.cdn;

import io.damselfly.common.Digest;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a peer's claim that a CDN piece failed its digest, and repairs the piece when the claim holds. The
 * stored piece is hashed again; a damaged one is withheld (never served), fetched again from the origin for
 * the same version ({@code Range} + {@code If-Range}; from a whole-file answer when the origin cannot do
 * ranges), verified against the digest it was stored with, written back and served again. Checks are rate
 * limited: one per piece per {@link #CHECK_INTERVAL} (later claims get the same verdict), and at most
 * {@link #CHECKS_PER_REPORTER} started per reporter in that interval, so a liar cannot keep the CDN hashing.
 */
final class PieceRepair {
  private static final Logger LOG = LoggerFactory.getLogger(PieceRepair.class);
  /** How long a piece's verdict answers further claims against it. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);
  /** Checks one reporter may start per {@link #CHECK_INTERVAL}; claims beyond are not checked. */
  static final int CHECKS_PER_REPORTER = 8;
  private final OriginClient origin;
  private final InstantSource clock;
  private final Executor executor;
  private final Consumer<CdnTask> onChange;
  private final io.damselfly.common.ClaimLimiter<ClaimVerdict> limiter;
  private final AtomicLong repaired = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong damaged = new AtomicLong();
  private final AtomicLong intact = new AtomicLong();

  PieceRepair(OriginClient origin, InstantSource clock, Executor executor, Consumer<CdnTask> onChange) {
    this.origin = origin;
    this.clock = clock;
    this.executor = executor;
    this.onChange = onChange;
    this.limiter = new io.damselfly.common.ClaimLimiter<>(clock, CHECK_INTERVAL, CHECKS_PER_REPORTER);
  }

  /** The verdict on {@code reporter}'s claim that {@code piece} of {@code task} is damaged. */
  CompletableFuture<ClaimVerdict> claim(CdnTask task, int piece, String reporter) {
    if (piece < 0 || piece >= task.storedPieces()) {
      return CompletableFuture.completedFuture(ClaimVerdict.NOT_CHECKED);
    }
    if (task.withheld(piece)) {
      return CompletableFuture.completedFuture(ClaimVerdict.DAMAGED);
    }
    return limiter.claim(task.id().value() + "/" + piece, reporter,
        () -> CompletableFuture.supplyAsync(() -> check(task, piece, reporter), executor), ClaimVerdict.NOT_CHECKED);
  }

  /** Tries the repair of pieces whose last repair failed again (a new registration came for the task). */
  void retryLost(CdnTask task) {
    java.util.BitSet lost = task.lostPieces();
    for (int p = lost.nextSetBit(0); p >= 0; p = lost.nextSetBit(p + 1)) {
      int piece = p;
      task.withhold(piece); // withheld, no longer lost: peers asking meanwhile wait for this repair
      executor.execute(() -> repair(task, piece, "a new registration"));
    }
  }

  long repaired() { return repaired.get(); }
  long failed() { return failed.get(); }
  long damaged() { return damaged.get(); }
  long intact() { return intact.get(); }

  private ClaimVerdict check(CdnTask task, int piece, String reporter) {
    try {
      if (matches(task, piece, read(task, piece))) {
        intact.incrementAndGet();
        LOG.warn("claim of {} that piece {} of CDN task {} is damaged is false: the stored piece is intact",
            reporter, piece, task.id());
        return ClaimVerdict.INTACT;
      }
    } catch (IOException e) {
      LOG.warn("cannot read piece {} of CDN task {} back: {}", piece, task.id(), e.toString());
    }
    damaged.incrementAndGet();
    task.withhold(piece);
    LOG.warn("piece {} of CDN task {} is damaged on disk (reported by {}); withheld, fetching it again",
        piece, task.id(), reporter);
    CdnJournal.repair(task, piece, "damaged", "reported by " + reporter, clock.instant());
    onChange.accept(task);
    repair(task, piece, reporter);
    return ClaimVerdict.DAMAGED;
  }

  /** Fetches {@code piece} again from the origin and writes it back when it has its stored digest. */
  private void repair(CdnTask task, int piece, String why) {
    String outcome;
    try {
      byte[] bytes = fromOrigin(task, piece);
      if (!matches(task, piece, bytes)) {
        throw new IOException("the origin's bytes for it have another digest (the file changed at the origin)");
      }
      write(task, piece, bytes);
      task.repaired(piece);
      repaired.incrementAndGet();
      outcome = "repaired";
      LOG.info("piece {} of CDN task {} repaired from the origin", piece, task.id());
    } catch (IOException | RuntimeException e) {
      task.repairFailed(piece);
      failed.incrementAndGet();
      outcome = "lost: " + e.getMessage();
      LOG.warn("piece {} of CDN task {} cannot be repaired: {}; only peers holding it can serve it", piece,
          task.id(), e.getMessage());
    }
    CdnJournal.repair(task, piece, outcome, why, clock.instant());
    onChange.accept(task);
  }

  private byte[] fromOrigin(CdnTask task, int piece) throws IOException {
    long start = (long) piece * task.layout().pieceSize();
    int length = length(task, piece);
    RegisterRequest req = task.request() != null ? task.request()
        : new RegisterRequest(task.url(), Map.of(), null, null, null, null);
    String validator = task.etag() != null ? task.etag() : task.lastModified();
    HttpResponse<InputStream> r = origin.getRange(req, start, start + length - 1, validator);
    try (InputStream in = r.body()) {
      long at = OriginClient.rangeStart(r);
      if (r.statusCode() == 200) {
        in.skipNBytes(start); // the origin cannot do ranges (or the version changed): the whole file again
      } else if (at != start) {
        throw new IOException("the origin answered " + r.statusCode() + " to a request for bytes " + start + "-"
            + (start + length - 1));
      }
      byte[] bytes = in.readNBytes(length);
      if (bytes.length != length) {
        throw new IOException("the origin's answer ended after " + bytes.length + " of the piece's " + length + " bytes");
      }
      task.countOrigin(length);
      return bytes;
    }
  }

  private static boolean matches(CdnTask task, int piece, byte[] bytes) {
    return Digest.of(Digest.Algorithm.SHA256, bytes, 0, bytes.length).toString().equals(task.digest(piece));
  }

  private static int length(CdnTask task, int piece) {
    long start = (long) piece * task.layout().pieceSize();
    return (int) Math.min(task.layout().pieceSize(), task.storedBytes() - start);
  }

  private static byte[] read(CdnTask task, int piece) throws IOException {
    long start = (long) piece * task.layout().pieceSize();
    ByteBuffer b = ByteBuffer.allocate(length(task, piece));
    try (FileChannel ch = FileChannel.open(task.dataFile(), StandardOpenOption.READ)) {
      while (b.hasRemaining()) {
        if (ch.read(b, start + b.position()) < 0) {
          break; // truncated: the short piece fails its digest
        }
      }
    }
    return java.util.Arrays.copyOf(b.array(), b.position());
  }

  private static void write(CdnTask task, int piece, byte[] bytes) throws IOException {
    long start = (long) piece * task.layout().pieceSize();
    try (FileChannel ch = FileChannel.open(task.dataFile(), StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b, start + b.position());
      }
      ch.force(false);
    }
    if (task.status() == TaskStatus.SUCCESS) {
      CdnJournal.complete(task, task.layout().contentLength(), task.fileDigest()); // the new modification time
    }
  }
}
