package io.damselfly.peer.download.output;

import io.damselfly.peer.store.HeldFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The whole-file digests of a file being assembled piece by piece, computed while it downloads: each
 * call to {@link #advance()} hashes the held pieces that extend the hashed prefix (read back from the
 * file, which the page cache still holds), so that once the last piece is in only the tail is left to
 * hash, instead of the whole file. Used by one thread only.
 */
public final class PrefixDigest {
  private final HeldFile held;
  private final FileChannel file;
  private final FileDigests.Hasher hasher;
  private ByteBuffer buf;
  private long hashed;

  public PrefixDigest(HeldFile held, FileChannel file, boolean withMd5) {
    this.held = held;
    this.file = file;
    this.hasher = new FileDigests.Hasher(withMd5);
  }

  /** Hashes the held pieces that follow the hashed prefix; does nothing while the length is unknown. */
  public void advance() throws IOException {
    long total = held.totalLength();
    if (total < 0 || hashed >= total) {
      return;
    }
    int size = held.pieceSize();
    // one held-range check per piece hashed: no copy of the piece map per call
    while (hashed < total && held.holds(hashed, (int) Math.min(size, total - hashed))) {
      hash(hashed, (int) Math.min(size, total - hashed));
    }
  }

  /** The digests of the file's first {@code length} bytes (its size once truncated), hashing what is left. */
  public FileDigests finish(long length) throws IOException {
    if (hashed > length) {
      throw new IllegalStateException("hashed " + hashed + " bytes of a file of " + length);
    }
    while (hashed < length) {
      hash(hashed, (int) Math.min(held.pieceSize(), length - hashed));
    }
    return hasher.digests(length);
  }

  private void hash(long at, int length) throws IOException {
    if (buf == null || buf.capacity() < length) {
      buf = ByteBuffer.allocate(Math.max(length, held.pieceSize()));
    }
    buf.clear().limit(length);
    while (buf.hasRemaining()) {
      if (file.read(buf, at + buf.position()) < 0) {
        throw new IOException("the file ended at " + (at + buf.position()) + " bytes while hashing it");
      }
    }
    hasher.update(buf.array(), 0, length);
    hashed = at + length;
  }
}
