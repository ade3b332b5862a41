package io.damselfly.peer.download;

import io.damselfly.common.Digest;
import io.damselfly.common.HostPort;
import io.damselfly.common.TaskId;
import io.damselfly.peer.download.origin.OriginDownload;
import io.damselfly.peer.download.output.FileDigests;
import io.damselfly.peer.download.output.OutputFile;
import io.damselfly.peer.download.output.PrefixDigest;
import io.damselfly.peer.download.pieces.PieceFetcher;
import io.damselfly.peer.download.session.Addresses;
import io.damselfly.peer.download.session.P2pSession;
import io.damselfly.peer.download.session.SupernodeClient;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.peer.store.HeldFile;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.PeerAddress;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.RegisterRequest;
import io.damselfly.protocol.RegisterResponse;
import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.TaskIdentity;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download from request to verified output, run on the caller's (virtual) thread: validate,
 * register with a supernode, fetch pieces from peers and the CDN (or the origin), verify the whole
 * file, rename it onto the output. Emits progress events and ends with exactly one done or error event.
 */
public final class DownloadJob {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadJob.class);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);
  /** Appended to the node's peer id for downloads that upload nothing. */
  private static final String CDN_ONLY_SUFFIX = "-cdn";
  private static final String HELD = "from this host's copy";

  private final NodeContext node;
  private final DownloadRequest req;
  private final Progress progress = new Progress();
  private final CompletableFuture<HeldFile> file = new CompletableFuture<>();

  public DownloadJob(NodeContext node, DownloadRequest req) {
    this.node = node;
    this.req = req;
  }

  /** The current progress, for the caller's periodic progress events. */
  public ProgressEvent progress() {
    return progress.event(ProgressEvent.Type.PROGRESS, null, 0);
  }

  /**
   * Completes with the task's file as soon as pieces start to arrive (read verified ranges with
   * {@link HeldFile#holds}; keep an open channel: the file is renamed when done), or exceptionally when
   * the download takes another route (origin, this node's copy) or fails; then read the output.
   */
  public CompletableFuture<HeldFile> servingFile() {
    return file;
  }

  /** Runs the download; the returned event is the final one ({@code done} or {@code error}). */
  public ProgressEvent run() {
    OutputFile out = null;
    Watchdog.Guard deadline = req.timeoutMillis() > 0 ? node.watchdog().guard(Duration.ofMillis(req.timeoutMillis())) : null;
    try {
      Digest expected = validate();
      out = OutputFile.prepare(req.output());
      String how = fetch(out, expected);
      out.commit();
      String summary = summary(how, out);
      LOG.info("{} [{}]", summary, req.callSystem() == null ? "-" : req.callSystem());
      return progress.event(ProgressEvent.Type.DONE, summary, 0);
    } catch (DownloadFailure f) {
      return fail(out, f.exit(), f.getMessage(), f);
    } catch (InterruptedException e) {
      if (deadline != null && deadline.fired()) {
        return fail(out, DfgetExit.TIMEOUT, "the download did not finish within " + req.timeoutMillis() / 1000.0 + " s", null);
      }
      return fail(out, DfgetExit.INTERRUPTED, "the download was cancelled", null);
    } catch (IOException | RuntimeException e) {
      if (deadline != null && deadline.fired()) {
        return fail(out, DfgetExit.TIMEOUT, "the download did not finish within " + req.timeoutMillis() / 1000.0 + " s", null);
      }
      return fail(out, DfgetExit.FAILED, "the download failed: " + e, e);
    } finally {
      file.completeExceptionally(new IllegalStateException("no piece file: the download took another route"));
      if (deadline != null) {
        deadline.close();
      }
    }
  }

  private ProgressEvent fail(OutputFile out, DfgetExit exit, String message, Throwable cause) {
    if (out != null) {
      out.discard();
    }
    LOG.warn("download of {} failed ({}): {}", req.url(), exit, message, exit == DfgetExit.FAILED ? cause : null);
    return progress.event(ProgressEvent.Type.ERROR, message, exit.code());
  }

  private Digest validate() {
    try {
      TaskIdentity.parseOriginUrl(req.url());
      return req.expectedDigest() == null || req.expectedDigest().isBlank() ? null : Digest.parse(req.expectedDigest());
    } catch (IllegalArgumentException e) {
      throw new DownloadFailure(DfgetExit.USAGE, e.getMessage(), e);
    }
  }

  private String fetch(OutputFile out, Digest expected) throws IOException, InterruptedException {
    DownloadRequest.Pattern pattern = req.pattern();
    Throttles.Gate gate = node.throttles().gate(req.localLimit());
    node.throttles().requestTotal(req.totalLimit());
    if (pattern == DownloadRequest.Pattern.SOURCE) {
      fromOrigin(out, expected, gate);
      return "from the origin";
    }
    List<HostPort> nodes = parseNodes();
    SupernodeClient client = new SupernodeClient(node.cluster(), nodes, API_TIMEOUT, node.clock());
    boolean cdnOnly = pattern == DownloadRequest.Pattern.CDN;
    RegisterResponse reg;
    try {
      reg = register(client, expected, cdnOnly);
    } catch (SupernodeClient.Unreachable e) {
      if (!req.backToSource()) {
        throw new DownloadFailure(DfgetExit.NO_SUPERNODE, e.getMessage() + " and --notbs forbids the origin");
      }
      LOG.warn("{}; downloading {} from the origin", e.getMessage(), req.url());
      fromOrigin(out, expected, gate);
      return "from the origin (no supernode reachable)";
    }
    return p2p(client, reg, out, expected, gate, cdnOnly);
  }

  private List<HostPort> parseNodes() {
    try {
      return req.nodes().stream().map(n -> HostPort.parse(n, ProtocolV1.DEFAULT_API_PORT)).toList();
    } catch (IllegalArgumentException e) {
      throw new DownloadFailure(DfgetExit.USAGE, "node list: " + e.getMessage(), e);
    }
  }

  private RegisterResponse register(SupernodeClient client, Digest expected, boolean cdnOnly)
      throws SupernodeClient.Unreachable, InterruptedException {
    int port = cdnOnly ? 0 : node.uploadPort();
    return client.register(sn -> new RegisterRequest(req.url(), req.headers(), req.identifier(), req.filter(),
        expected == null ? null : expected.toString(),
        new PeerAddress(peerId(cdnOnly), Addresses.advertised(node.config().advertiseHost(), sn), port)));
  }

  /**
   * The id this download is known by. A supernode keeps one address per peer id, so downloads that
   * upload nothing (pattern cdn) use an id of their own: the node's id would otherwise be listed with
   * upload port 0 for every task, or a cdn-only task would list the node's upload port as a source.
   */
  private String peerId(boolean cdnOnly) {
    return cdnOnly ? node.peerId() + CDN_ONLY_SUFFIX : node.peerId();
  }

  /** Downloads over the supernode's schedule; returns how the bytes came, for the summary. */
  private String p2p(SupernodeClient client, RegisterResponse reg, OutputFile out, Digest expected,
      Throttles.Gate gate, boolean cdnOnly) throws IOException, InterruptedException {
    TaskId task = TaskId.of(reg.taskId());
    progress.taskId = task.value();
    progress.total = reg.contentLength();
    out.ensureRoom(reg.contentLength());
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> other;
    while ((other = node.serving().claim(task, mine)) != null) {
      LOG.info("task {} is already downloading on this node; waiting for it", task);
      other.handle((v, e) -> null).join();
      if (fromHeld(task, out, expected)) {
        return HELD;
      }
    }
    try {
      if (fromHeld(task, out, expected)) {
        return HELD;
      }
      HeldFile held = cdnOnly ? null : node.files().downloading(task, out.temp(), reg.pieceSize(), reg.contentLength());
      HeldFile view = held != null ? held : node.files().unserved(task, out.temp(), reg.pieceSize(), reg.contentLength());
      file.complete(view);
      ScheduleResponse last;
      FileDigests got;
      try (FileChannel ch = FileChannel.open(out.temp(), StandardOpenOption.WRITE, StandardOpenOption.READ)) {
        if (node.serving().forget(task, node.peerId()) && !cdnOnly) {
          reregister(client, task, expected, false); // the supernode forgets the pieces of the copy this node lost
        }
        PieceFetcher fetcher =
            new PieceFetcher(node.pieceClient(), node.config().pieceTimeout(), peerId(cdnOnly), node.pieces(),
                new io.damselfly.peer.download.session.PeerDamageReports(node.cluster(), peerId(cdnOnly)));
        // The whole file is hashed again only for a user's digest: without one, every piece was checked against
        // the supernode's SHA-256 of the origin's bytes, and the file's SHA-256 is the supernode's (below).
        PrefixDigest prefix = expected == null ? null : new PrefixDigest(view, ch, withMd5(expected));
        P2pSession session = new P2pSession(client, () -> reregister(client, task, expected, cdnOnly), task,
            peerId(cdnOnly), fetcher, node.cluster(), node.config().pieceTimeout(), view, ch, progress, gate,
            node.config().parallelism(), node.pieceMemory(), cdnOnly, prefix, node.clock());
        last = session.run();
        ch.truncate(last.contentLength());
        ch.force(false);
        got = prefix != null ? prefix.finish(last.contentLength()) : fromPieces(last, out.temp());
      } catch (SupernodeClient.Unreachable e) {
        abandon(held);
        if (!req.backToSource()) {
          throw new DownloadFailure(DfgetExit.NO_SUPERNODE, "lost every supernode: " + e.getMessage());
        }
        LOG.warn("lost every supernode during task {}; downloading from the origin", task);
        progress.reset();
        fromOrigin(out, expected, gate);
        return "from the origin (every supernode was lost)";
      } catch (DownloadFailure e) {
        abandon(held);
        if (e.exit() != DfgetExit.NO_VERIFIED_SOURCE || cdnOnly || !req.backToSource()) {
          throw e;
        }
        LOG.warn("{} (task {}); downloading from the origin", e.getMessage(), task);
        progress.reset();
        fromOrigin(out, expected, gate);
        return "from the origin (no source gave a verified copy of a piece)";
      } catch (IOException | RuntimeException | InterruptedException e) {
        abandon(held);
        throw e;
      }
      check(got, expected, last.fileDigest());
      if (held != null) {
        node.files().complete(held, last.contentLength(), got.sha256());
        node.serving().finished(task, client);
      } else {
        client.leave(task, peerId(true));
      }
      return cdnOnly ? "from the supernode" : "over p2p";
    } finally {
      node.serving().release(task, mine);
      mine.complete(null);
    }
  }

  /**
   * The digests of a file assembled from pieces that each matched the supernode's SHA-256: the whole file's
   * SHA-256 is the one the supernode computed over the origin's bytes; the file is read back and hashed only
   * when the supernode did not say it.
   */
  private static FileDigests fromPieces(ScheduleResponse last, Path file) throws IOException {
    if (last.fileDigest() != null) {
      return new FileDigests(Digest.parse(last.fileDigest()), null, last.contentLength());
    }
    return FileDigests.of(file, false);
  }

  private void abandon(HeldFile held) {
    if (held != null) {
      node.files().abandon(held);
    }
  }

  private void reregister(SupernodeClient client, TaskId task, Digest expected, boolean cdnOnly)
      throws SupernodeClient.Unreachable, InterruptedException {
    RegisterResponse again = register(client, expected, cdnOnly);
    if (!again.taskId().equals(task.value())) {
      throw new DownloadFailure(DfgetExit.FAILED, "supernode " + client.node() + " holds another version of "
          + req.url() + " (task " + again.taskId() + ", was " + task + "); the origin file changed during the download");
    }
    LOG.info("task {} continues with supernode {}", task, client.node());
  }

  /**
   * Reuses a complete verified copy this node already holds, unless its bytes changed since: outputs
   * share them (hard links), so an output edited in place changes the copy, which is then dropped.
   */
  private boolean fromHeld(TaskId task, OutputFile out, Digest expected) throws IOException {
    var kept = node.files().completed(task);
    if (kept.isEmpty()) {
      return false;
    }
    HeldFile copy = kept.get();
    FileDigests got = digests(copy.path(), expected);
    if (!got.sha256().equals(copy.sha256())) {
      LOG.warn("this node's copy of task {} changed after it was verified (an output edited in place?); "
          + "dropping it and downloading again", task);
      node.files().abandon(copy);
      return false;
    }
    check(got, expected, null);
    out.fillFrom(copy.path());
    progress.total = copy.totalLength();
    LOG.info("task {} served from this node's copy", task);
    return true;
  }

  private void fromOrigin(OutputFile out, Digest expected, Throttles.Gate gate) throws InterruptedException, IOException {
    new OriginDownload(node.http(), API_TIMEOUT).download(req.url(), req.headers(), out.temp(), gate, progress);
    verify(out.temp(), expected, null);
  }

  /** Checks the whole file against the user's digest and the supernode's SHA-256; returns its digests. */
  private static FileDigests verify(Path file, Digest expected, String supernodeSha256)
      throws IOException {
    FileDigests got = digests(file, expected);
    check(got, expected, supernodeSha256);
    return got;
  }

  /** The file's SHA-256, and its MD5 when the user expects one. */
  private static FileDigests digests(Path file, Digest expected) throws IOException {
    return FileDigests.of(file, withMd5(expected));
  }

  private static boolean withMd5(Digest expected) {
    return expected != null && expected.algorithm() == Digest.Algorithm.MD5;
  }

  private static void check(FileDigests got, Digest expected, String supernodeSha256) {
    boolean md5 = expected != null && expected.algorithm() == Digest.Algorithm.MD5;
    if (expected != null && !got.matches(expected)) {
      throw new DownloadFailure(DfgetExit.DIGEST_MISMATCH, "the file's digest "
          + (md5 ? got.md5() : got.sha256()) + " does not match the expected " + expected);
    }
    if (supernodeSha256 != null && !supernodeSha256.equals(got.sha256().toString())) {
      throw new DownloadFailure(DfgetExit.FAILED,
          "the assembled file has " + got.sha256() + " but the supernode's copy has " + supernodeSha256);
    }
  }

  private String summary(String how, OutputFile out) {
    long total = progress.done();
    double secs = Math.max(1, progress.elapsedMillis()) / 1000.0;
    return String.format("downloaded %s %s in %.2f s (%s/s; peers %s, supernode %s, origin %s) -> %s",
        io.damselfly.common.ByteSize.format(progress.total >= 0 ? progress.total : total), how, secs,
        io.damselfly.common.ByteSize.format((long) (total / secs)),
        io.damselfly.common.ByteSize.format(progress.fromPeers.get()),
        io.damselfly.common.ByteSize.format(progress.fromCdn.get()),
        io.damselfly.common.ByteSize.format(progress.fromSource.get()), out.output());
  }
}
