package io.damselfly.dfdaemon.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.Dfdaemon;
import io.damselfly.peer.download.DownloadJob;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supernode's dashboard in headless Chromium while three daemons download one file through it: the piece
 * map fills in as the distribution runs, then shows every piece held, bytes by source and the origin traffic
 * saved; a daemon that stops shows as gone. Leaves a screenshot in {@code target/dashboard.png}.
 */
class DashboardBrowserTest {
  private static final long SIZE = 8L << 20;
  private static final int PIECES = 32;
  /** Each daemon's download rate cap, so the distribution lasts long enough to be watched. */
  private static final long RATE = 3L << 19;
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String PEER_CELLS = "#piecemap g.row-active rect.have";

  @TempDir Path dir;

  @Test
  void thePieceMapFillsInWhileTheDistributionRunsAndShowsTheEnd() throws Exception {
    Path file = dir.resolve("layer.bin");
    TestFiles.write(file, SIZE, 11);
    List<Dfdaemon> daemons = new ArrayList<>();
    ExecutorService downloads = Executors.newVirtualThreadPerTaskExecutor();
    try (OriginServer origin = OriginServer.start();
        Supernode supernode = Supernode.start(SupernodeConfig.forTests(dir.resolve("supernode")),
            InstantSource.system());
        Browser browser = Browser.start(dir.resolve("chromium-profile"))) {
      origin.serve("/layer.bin", file);
      String node = "127.0.0.1:" + supernode.apiPort();
      for (String name : List.of("daemon-a", "daemon-b", "daemon-c")) {
        daemons.add(Dfdaemon.start(DaemonConfig.defaults(dir.resolve(name)).withPort(0).withBindHost("127.0.0.1")
            .withSupernodes(List.of(node)).withUpload(0, 0, RATE, "127.0.0.1"), InstantSource.system()));
      }
      browser.open("http://" + node + "/dashboard?interval=250");
      assertThat(browser.text("#no-tasks")).contains("No task yet");

      List<Future<ProgressEvent>> runs = new ArrayList<>();
      for (Dfdaemon d : daemons) {
        DownloadRequest req = DownloadRequest.builder(origin.url("/layer.bin"),
            dir.resolve(d.node().peerId() + ".out").toString()).nodes(List.of(node)).callSystem("dashboard-test").build();
        runs.add(downloads.submit(() -> new DownloadJob(d.node().context(), req).run()));
      }

      // while it runs: some cells of the peers' rows are filled, not all, and the task is listed
      assertThat(Browser.await(() -> browser.number("return document.querySelectorAll('" + PEER_CELLS
          + "').length") > 0, LIMIT)).as("the piece map shows the first pieces").isTrue();
      boolean running = runs.stream().anyMatch(f -> !f.isDone());
      long filledWhileRunning = browser.number("return document.querySelectorAll('" + PEER_CELLS + "').length");
      assertThat(running).as("downloads were still running when the first pieces showed").isTrue();
      assertThat(filledWhileRunning).isBetween(1L, 3L * PIECES - 1);
      assertThat(browser.number("return document.querySelectorAll('#tasks tbody tr').length")).isEqualTo(1);
      assertThat(browser.text("#tasks tbody tr td.url")).isEqualTo(origin.url("/layer.bin"));
      browser.screenshot(Path.of("target", "dashboard-running.png"));

      for (Future<ProgressEvent> f : runs) {
        assertThat(f.get(LIMIT.toSeconds(), TimeUnit.SECONDS).type()).isEqualTo(ProgressEvent.Type.DONE);
      }

      // after: every peer holds every piece; bytes by source; origin traffic saved; peers active
      assertThat(Browser.await(() -> browser.number("return document.querySelectorAll('" + PEER_CELLS
          + "').length") == 3L * PIECES && browser.text("#delivered").equals("24.0 MiB"), LIMIT))
          .as("every cell filled; shows %s delivered", browser.text("#delivered")).isTrue();
      assertThat(browser.number("return document.querySelectorAll('#piecemap g.row-cdn rect.have').length"))
          .isEqualTo(PIECES);
      for (Dfdaemon d : daemons) {
        assertThat(browser.js("const g = document.querySelector('#piecemap g[data-peer=\"" + d.node().peerId()
            + "\"]'); return g ? g.dataset.have : null;")).isEqualTo(String.valueOf(PIECES));
      }
      assertThat(browser.text("#origin")).isEqualTo("8.0 MiB");
      assertThat(browser.text("#saved")).isEqualTo("67 %");
      assertThat(browser.text("#tasks tbody tr td.status")).isEqualTo("SUCCESS");
      assertThat(browser.number("return document.querySelectorAll('#peers tbody tr[data-state=\"ACTIVE\"]').length"))
          .isEqualTo(3);
      assertThat(Browser.await(() -> browser.number(
          "return document.querySelectorAll('#throughput polyline.delivered').length") == 1, LIMIT))
          .as("the throughput chart is drawn").isTrue();

      // a daemon that stops leaves the task: its row says gone, with the pieces it held
      Dfdaemon c = daemons.remove(2);
      String gone = c.node().peerId();
      c.close();
      assertThat(Browser.await(() -> "GONE".equals(browser.js("const r = document.querySelector('#peers tr[data-peer=\""
          + gone + "\"]'); return r ? r.dataset.state : null;")), LIMIT)).as("%s shows as gone", gone).isTrue();
      assertThat(browser.number("return document.querySelectorAll('#piecemap g.row-gone rect.have').length"))
          .isEqualTo(PIECES);
      assertThat(browser.text("#health")).startsWith("updated");
      browser.screenshot(Path.of("target", "dashboard.png"));
    } finally {
      downloads.shutdownNow();
      daemons.forEach(Dfdaemon::close);
    }
  }
}
