package io.damselfly.peer.download.origin;

import io.damselfly.peer.download.DownloadFailure;
import io.damselfly.peer.download.Progress;
import io.damselfly.peer.download.output.OutputFile;
import io.damselfly.peer.download.throttle.Throttle;
import io.damselfly.peer.download.throttle.Throttles;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Downloads straight from the origin ({@code --pattern source}, or back-to-source when no supernode
 * can be used), streaming into the temporary file through the rate caps.
 */
public final class OriginDownload {

  private final HttpClient http;
  private final Duration headerTimeout;

  public OriginDownload(HttpClient http, Duration headerTimeout) {
    this.http = http;
    this.headerTimeout = headerTimeout;
  }

  /** Writes the origin's body to {@code file}; returns its length. */
  public long download(String url, Map<String, List<String>> headers, Path file, Throttles.Gate gate, Progress progress)
      throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(headerTimeout).GET();
    headers.forEach((name, values) -> {
      if (!Headers.hopByHop(name)) {
        values.forEach(v -> b.header(name, v));
      }
    });
    HttpResponse<InputStream> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new DownloadFailure(DfgetExit.ORIGIN_ERROR, "cannot reach the origin " + url + ": " + e, e);
    }
    try (InputStream in = res.body()) {
      if (res.statusCode() / 100 != 2) {
        throw new DownloadFailure(DfgetExit.ORIGIN_ERROR, "the origin answered " + res.statusCode() + " for " + url);
      }
      long declared = res.headers().firstValueAsLong("content-length").orElse(-1);
      progress.total = declared;
      OutputFile.ensureRoom(file, declared);
      long written = copy(in, file, gate, progress);
      if (declared >= 0 && written != declared) {
        throw new DownloadFailure(DfgetExit.ORIGIN_ERROR,
            "the origin's body ended after " + written + " of " + declared + " bytes");
      }
      progress.total = written;
      return written;
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("cancelled");
      }
      throw new DownloadFailure(DfgetExit.ORIGIN_ERROR, "reading from the origin failed: " + e, e);
    }
  }

  private static long copy(InputStream in, Path file, Throttles.Gate gate, Progress progress)
      throws IOException, InterruptedException {
    byte[] buf = new byte[Throttle.CHUNK];
    long written = 0;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        gate.pass(n);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        try {
          while (bb.hasRemaining()) {
            out.write(bb);
          }
        } catch (IOException e) {
          throw new DownloadFailure(DfgetExit.OUTPUT_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
        }
        written += n;
        progress.fromSource.addAndGet(n);
      }
      out.force(false);
    }
    return written;
  }
}
