package io.damselfly.supernode.cdn;

import io.damselfly.common.Digest;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one origin body into a CDN task: cuts it into pieces, digests each piece and the whole
 * file on the way, and announces every stored piece. Runs on its own virtual thread.
 */
final class OriginFetch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(OriginFetch.class);

  private final CdnTask task;
  private final InputStream body;
  private final long declaredLength;
  private final Digest expected;
  private final Consumer<CdnTask> onChange;
  private final Runnable onEnd;

  OriginFetch(CdnTask task, InputStream body, long declaredLength, Digest expected, Consumer<CdnTask> onChange,
      Runnable onEnd) {
    this.task = task;
    this.body = body;
    this.declaredLength = declaredLength;
    this.expected = expected;
    this.onChange = onChange;
    this.onEnd = onEnd;
  }

  @Override
  public void run() {
    try (InputStream in = body;
        FileChannel out = FileChannel.open(task.dataFile(), StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      MessageDigest whole = Digest.Algorithm.SHA256.newMessageDigest();
      MessageDigest md5 = expected != null && expected.algorithm() == Digest.Algorithm.MD5
          ? Digest.Algorithm.MD5.newMessageDigest() : null;
      byte[] piece = new byte[task.layout().pieceSize()];
      long offset = 0;
      while (true) {
        int n = in.readNBytes(piece, 0, piece.length);
        if (n > 0) {
          task.countOrigin(n);
          out.write(ByteBuffer.wrap(piece, 0, n), offset);
          whole.update(piece, 0, n);
          if (md5 != null) {
            md5.update(piece, 0, n);
          }
          offset += n;
          task.pieceStored(Digest.of(Digest.Algorithm.SHA256, piece, 0, n).toString(), offset);
          onChange.accept(task);
        }
        if (n < piece.length) {
          break;
        }
      }
      if (declaredLength >= 0 && offset != declaredLength) {
        throw new IOException("origin body ended after " + offset + " of " + declaredLength + " bytes");
      }
      String sha = Digest.of(Digest.Algorithm.SHA256, whole).toString();
      String got = md5 != null ? Digest.of(Digest.Algorithm.MD5, md5).toString() : sha;
      if (expected != null && !expected.toString().equals(got)) {
        fail(ErrorCode.DIGEST_MISMATCH, "origin content " + got + " does not match the expected digest " + expected);
        return;
      }
      out.force(false);
      task.finish(offset, sha);
      writeMeta();
      LOG.info("cdn stored task {} ({} bytes, {} pieces) from {}", task.id(), offset, task.storedPieces(), task.url());
      onChange.accept(task);
    } catch (IOException | RuntimeException e) {
      fail(ErrorCode.ORIGIN_ERROR, "fetching the origin failed: " + e.getMessage());
    } finally {
      onEnd.run();
    }
  }

  private void writeMeta() throws IOException {
    CdnMeta meta = new CdnMeta(task.id().value(), task.key(), task.url(), task.layout().contentLength(),
        task.layout().pieceSize(), task.etag(), task.lastModified(), task.fileDigest(), task.digests());
    var tmp = task.dir().resolve("meta.json.tmp");
    Files.write(tmp, Json.write(meta));
    Files.move(tmp, task.dir().resolve("meta.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private void fail(ErrorCode code, String message) {
    LOG.warn("cdn task {} failed: {}", task.id(), message);
    // files first: once FAILED is visible a new fetch of the same version may reuse this directory
    CdnStore.deleteQuietly(task.dir());
    task.fail(new ErrorBody(code.name(), message, 0));
    onChange.accept(task);
  }
}
