package io.damselfly.supernode.cdn;

import io.damselfly.common.Digest;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one origin body into a CDN task: cuts it into pieces, digests each piece and the whole
 * file on the way, journals and announces every stored piece. A body that breaks off is resumed with
 * a Range request for the same version (If-Range) from the last stored piece, a few times in a row at
 * most; a task restored from disk continues the same way. Runs on its own virtual thread.
 */
final class OriginFetch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(OriginFetch.class);
  /** Resume attempts in a row that store no new piece before the fetch gives up. */
  static final int MAX_RESUMES = 3;

  /** Asks the origin for the rest of the task's version from a byte offset. */
  @FunctionalInterface
  interface Resume {
    HttpResponse<InputStream> from(long offset);
  }

  /** Says why {@code bytes} more cannot be stored for a task, or null when they can. */
  @FunctionalInterface
  interface Room {
    String refuse(CdnTask task, long bytes);
  }

  /** The fetch ends without a file, for the reason its code names. */
  private static final class Stop extends Exception {
    final ErrorCode code;

    Stop(ErrorCode code, String message) {
      super(message);
      this.code = code;
    }
  }

  private final CdnTask task;
  private final InputStream body;
  private final long declaredLength;
  private final Digest expected;
  private final Resume resume;
  private final Room room;
  private final Consumer<CdnTask> onChange;
  private final Runnable onEnd;

  /**
   * @param body the origin's body from byte {@code task.storedBytes()} on (0 unless restored from disk)
   * @param resume how to ask for the rest after a break, or null when the origin version has no validator
   */
  OriginFetch(CdnTask task, InputStream body, long declaredLength, Digest expected, Resume resume, Room room,
      Consumer<CdnTask> onChange, Runnable onEnd) {
    this.task = task;
    this.body = body;
    this.declaredLength = declaredLength;
    this.expected = expected;
    this.resume = resume;
    this.room = room;
    this.onChange = onChange;
    this.onEnd = onEnd;
  }

  @Override
  public void run() {
    InputStream in = body;
    long offset = task.storedBytes();
    try (FileChannel out = FileChannel.open(task.dataFile(), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileChannel journal = offset == 0 ? CdnJournal.begin(task) : CdnJournal.resume(task, task.storedPieces())) {
      out.truncate(offset);
      MessageDigest whole = Digest.Algorithm.SHA256.newMessageDigest();
      MessageDigest md5 = expected != null && expected.algorithm() == Digest.Algorithm.MD5
          ? Digest.Algorithm.MD5.newMessageDigest() : null;
      byte[] piece = new byte[task.layout().pieceSize()];
      hashPrefix(out, offset, piece, whole, md5);
      int resumes = 0;
      while (true) {
        int n;
        try {
          n = in.readNBytes(piece, 0, piece.length);
        } catch (IOException e) {
          close(in);
          in = reopen(offset, e, ++resumes);
          continue;
        }
        if (n > 0) {
          resumes = 0;
          // one SHA-256 pass per piece: the same digest goes to the journal and to the task
          String digest = Digest.of(Digest.Algorithm.SHA256, piece, 0, n).toString();
          store(out, journal, piece, n, offset, digest);
          whole.update(piece, 0, n);
          if (md5 != null) {
            md5.update(piece, 0, n);
          }
          offset += n;
          task.pieceStored(digest, offset);
          onChange.accept(task);
        }
        if (n < piece.length) {
          break;
        }
      }
      if (declaredLength >= 0 && offset != declaredLength) {
        throw new Stop(ErrorCode.ORIGIN_ERROR, "origin body ended after " + offset + " of " + declaredLength + " bytes");
      }
      String sha = Digest.of(Digest.Algorithm.SHA256, whole).toString();
      String got = md5 != null ? Digest.of(Digest.Algorithm.MD5, md5).toString() : sha;
      if (expected != null && !expected.toString().equals(got)) {
        throw new Stop(ErrorCode.DIGEST_MISMATCH, "origin content " + got + " does not match the expected digest " + expected);
      }
      try {
        out.force(false);
        CdnJournal.complete(task, offset, sha);
      } catch (IOException e) {
        throw new Stop(ErrorCode.INSUFFICIENT_STORAGE, "cannot record the CDN's copy: " + e.getMessage());
      }
      task.finish(offset, sha);
      LOG.info("cdn stored task {} ({} bytes, {} pieces) from {}", task.id(), offset, task.storedPieces(), task.url());
      onChange.accept(task);
    } catch (Stop e) {
      fail(e.code, e.getMessage());
    } catch (IOException | RuntimeException e) {
      fail(ErrorCode.ORIGIN_ERROR, "fetching the origin failed: " + e.getMessage());
    } finally {
      close(in);
      onEnd.run();
    }
  }

  /** Writes one piece and journals it; a full disk is the CDN's error, not the origin's. */
  private void store(FileChannel out, FileChannel journal, byte[] piece, int n, long offset, String digest)
      throws Stop {
    String refusal = task.layout().lengthKnown() ? null : room.refuse(task, n);
    if (refusal != null) {
      throw new Stop(ErrorCode.INSUFFICIENT_STORAGE, refusal);
    }
    task.countOrigin(n);
    try {
      ByteBuffer b = ByteBuffer.wrap(piece, 0, n);
      for (long at = offset; b.hasRemaining(); ) {
        at += out.write(b, at);
      }
      CdnJournal.append(journal, digest);
    } catch (IOException e) {
      throw new Stop(ErrorCode.INSUFFICIENT_STORAGE, "cannot write the CDN's copy of " + task.url() + ": "
          + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  /** Feeds the whole-file digests with the bytes a restored task already holds. */
  private static void hashPrefix(FileChannel out, long length, byte[] buf, MessageDigest whole, MessageDigest md5)
      throws IOException {
    for (long at = 0; at < length; ) {
      ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, length - at));
      int n = out.read(b, at);
      if (n <= 0) {
        throw new IOException("the CDN's copy ended at " + at + " of " + length + " verified bytes");
      }
      whole.update(buf, 0, n);
      if (md5 != null) {
        md5.update(buf, 0, n);
      }
      at += n;
    }
  }

  /** The rest of the body from {@code offset} after a break, or the reason the fetch stops. */
  private InputStream reopen(long offset, IOException cause, int attempt) throws Stop {
    if (resume == null || attempt > MAX_RESUMES) {
      throw new Stop(ErrorCode.ORIGIN_ERROR, "the origin's body broke off after " + offset + " stored bytes ("
          + cause.getMessage() + ")" + (resume == null ? "; without an ETag or Last-Modified it cannot be resumed"
          : "; " + MAX_RESUMES + " resumed requests in a row brought nothing"));
    }
    LOG.warn("origin body of task {} broke off at {} bytes ({}); resuming with a Range request (attempt {})",
        task.id(), offset, cause.toString(), attempt);
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stop(ErrorCode.UNAVAILABLE, "interrupted");
    }
    HttpResponse<InputStream> r;
    try {
      r = resume.from(offset);
    } catch (RuntimeException e) {
      return reopen(offset, new IOException(e.getMessage(), e), attempt + 1);
    }
    if (OriginClient.rangeStart(r) == offset) {
      return r.body();
    }
    OriginClient.discard(r);
    if (r.statusCode() == 200 && !Objects.equals(r.headers().firstValue("etag").orElse(null), task.etag())) {
      throw new Stop(ErrorCode.ORIGIN_ERROR, "the origin file changed during the fetch (a new version answered the "
          + "resume request); nothing of either version is kept, register again for the new one");
    }
    throw new Stop(ErrorCode.ORIGIN_ERROR, "the origin answered " + r.statusCode() + " to resuming at byte " + offset
        + (r.statusCode() == 200 ? " (it ignores Range requests)" : ""));
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the body is abandoned either way
    }
  }

  private void fail(ErrorCode code, String message) {
    LOG.warn("cdn task {} failed: {}", task.id(), message);
    // files first: once FAILED is visible a new fetch of the same version may reuse this directory
    CdnStore.deleteQuietly(task.dir());
    task.fail(ErrorBody.of(code, message));
    onChange.accept(task);
  }
}
