package io.damselfly.supernode.cdn;

import io.damselfly.common.Digest;
import io.damselfly.common.PieceLayout;
import io.damselfly.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CDN task's state on disk, next to its {@code data}: {@code task.json} (identity and validators,
 * written atomically when the fetch starts), {@code pieces} (one fixed-width line per stored piece
 * digest, appended after the piece's bytes are written) and {@code meta.json} (the completion record,
 * written atomically). A restart rebuilds a task from them, trusting only what it verified: an
 * untouched complete file (same size and modification time as recorded), else every piece is hashed
 * again and the longest verified prefix is kept for a resumed fetch; the rest is cut off.
 */
final class CdnJournal {
  private static final Logger LOG = LoggerFactory.getLogger(CdnJournal.class);
  static final String DATA = "data";
  static final String HEAD = "task.json";
  static final String PIECES = "pieces";
  static final String META = "meta.json";
  /** One JSON line per damaged piece found and per repair's outcome. */
  static final String REPAIRS = "repairs";
  /** "sha256:" + 64 hex + newline. */
  private static final int LINE = 72;

  /** What survived on disk: complete, or a verified prefix of {@code digests.size()} pieces. */
  record Restored(CdnMeta meta, List<String> digests, long storedBytes, boolean complete) {}

  private CdnJournal() {}

  /** Starts a journal for a fetch from byte 0: the head record, an empty piece list. */
  static FileChannel begin(CdnTask task) throws IOException {
    writeAtomically(task.dir().resolve(HEAD), Json.write(CdnMeta.head(task)));
    return FileChannel.open(task.dir().resolve(PIECES), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Reopens the journal of a resumed fetch, positioned after its {@code pieces} verified lines. */
  static FileChannel resume(CdnTask task, int pieces) throws IOException {
    FileChannel ch = FileChannel.open(task.dir().resolve(PIECES), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    ch.truncate((long) pieces * LINE);
    ch.position((long) pieces * LINE);
    return ch;
  }

  /** Records one stored piece; called after its bytes reached the data file. */
  static void append(FileChannel journal, String digest) throws IOException {
    byte[] line = (digest + "\n").getBytes(StandardCharsets.US_ASCII);
    if (line.length != LINE) {
      throw new IllegalArgumentException("piece digest must be sha256:<64 hex>, got " + digest);
    }
    ByteBuffer b = ByteBuffer.wrap(line);
    while (b.hasRemaining()) {
      journal.write(b);
    }
  }

  /** Writes the completion record with the data file's current size and modification time. */
  static void complete(CdnTask task, long length, String sha256) throws IOException {
    Path data = task.dataFile();
    CdnMeta meta = new CdnMeta(task.id().value(), task.key(), task.url(), length,
        task.layout().pieceSize(), task.etag(), task.lastModified(), sha256, task.digests(),
        Files.size(data), Files.getLastModifiedTime(data).toMillis());
    writeAtomically(task.dir().resolve(META), Json.write(meta));
  }

  /**
   * Records a damaged piece or a repair's outcome in the task's {@code repairs} log (an operator's record;
   * a restart re-verifies pieces from the data itself, never from this log).
   */
  static void repair(CdnTask task, int piece, String outcome, String why, java.time.Instant at) {
    java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
    line.put("at", at.toString());
    line.put("piece", piece);
    line.put("outcome", outcome);
    line.put("why", why);
    try {
      byte[] json = Json.write(line);
      byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
      withNewline[json.length] = '\n';
      Files.write(task.dir().resolve(REPAIRS), withNewline, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot record the repair of piece {} of CDN task {}: {}", piece, task.id(), e.toString());
    }
  }

  /** Rebuilds what {@code dir} holds, verified; empty when nothing of it can be used. */
  static Optional<Restored> restore(Path dir) throws IOException {
    Path data = dir.resolve(DATA);
    if (!Files.isRegularFile(data)) {
      return Optional.empty();
    }
    if (Files.exists(dir.resolve(META))) {
      CdnMeta m = Json.read(Files.readAllBytes(dir.resolve(META)), CdnMeta.class);
      if (Files.size(data) == m.dataSize() && Files.size(data) == m.contentLength()
          && Files.getLastModifiedTime(data).toMillis() == m.dataModifiedMillis()) {
        return Optional.of(new Restored(m, m.pieceDigests(), m.contentLength(), true));
      }
      LOG.warn("CDN file {} changed since it was verified; checking every piece", data);
      return prefix(dir, m, m.pieceDigests());
    }
    if (Files.exists(dir.resolve(HEAD))) {
      CdnMeta head = Json.read(Files.readAllBytes(dir.resolve(HEAD)), CdnMeta.class);
      return prefix(dir, head, readLines(dir.resolve(PIECES)));
    }
    return Optional.empty();
  }

  /** Keeps the verified prefix of {@code digests}: complete when it is all of a known-length file. */
  private static Optional<Restored> prefix(Path dir, CdnMeta m, List<String> digests) throws IOException {
    PieceLayout layout = new PieceLayout(m.contentLength(), m.pieceSize());
    List<String> good = new ArrayList<>();
    long bytes = 0;
    try (FileChannel ch = FileChannel.open(dir.resolve(DATA), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate(m.pieceSize());
      for (String expected : digests) {
        int piece = good.size();
        int length = layout.lengthKnown() ? layout.lengthOf(piece) : m.pieceSize();
        buf.clear().limit(length);
        while (buf.hasRemaining() && ch.read(buf, bytes + buf.position()) > 0) {
          // reads until the piece is in or the file ends
        }
        if (buf.hasRemaining()
            || !Digest.of(Digest.Algorithm.SHA256, buf.array(), 0, length).toString().equals(expected)) {
          break;
        }
        good.add(expected);
        bytes += length;
      }
      boolean complete = layout.lengthKnown() && good.size() == layout.pieceCount() && m.fileDigest() != null;
      if (complete && ch.size() == bytes) {
        ch.force(true);
        ch.close();
        Path data = dir.resolve(DATA);
        CdnMeta verified = new CdnMeta(m.taskId(), m.key(), m.url(), m.contentLength(), m.pieceSize(), m.etag(),
            m.lastModified(), m.fileDigest(), good, bytes, Files.getLastModifiedTime(data).toMillis());
        writeAtomically(dir.resolve(META), Json.write(verified));
        return Optional.of(new Restored(verified, good, bytes, true));
      }
      if (good.isEmpty() || !m.resumable()) {
        return Optional.empty();
      }
      ch.truncate(bytes);
    }
    LOG.info("CDN task {}: {} verified pieces ({} bytes) kept for a resumed fetch", m.taskId(), good.size(), bytes);
    Files.deleteIfExists(dir.resolve(META));
    return Optional.of(new Restored(m, good, bytes, false));
  }

  /** The complete lines of a piece journal (a line torn by a crash is ignored). */
  private static List<String> readLines(Path journal) throws IOException {
    if (!Files.exists(journal)) {
      return List.of();
    }
    byte[] all = Files.readAllBytes(journal);
    List<String> out = new ArrayList<>();
    for (int at = 0; at + LINE <= all.length; at += LINE) {
      out.add(new String(all, at, LINE - 1, StandardCharsets.US_ASCII));
    }
    return out;
  }

  /** Writes {@code bytes} to a temporary file and renames it onto {@code target}. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
