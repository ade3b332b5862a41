package io.damselfly.cli;

import io.damselfly.cli.node.LocalClient;
import io.damselfly.cli.node.NodeHandle;
import io.damselfly.cli.node.NodeLocator;
import io.damselfly.cli.node.NodeSpawner;
import io.damselfly.cli.render.ProgressBar;
import io.damselfly.cli.render.Summary;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.ProgressEvent;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a validated download: finds (or starts) the node, streams progress to the bar, prints the summary
 * or the error, and cancels the download on Ctrl-C.
 */
final class DownloadRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadRunner.class);
  /**
   * How long dfget waits for the spawn lock, then for a node it started (while that process lives: one
   * that exits fails at once). A JVM normally starts in 1-3 s, but on a busy machine it took 15 s, and
   * the fallback, a node inside dfget, stops sharing the file when dfget exits.
   */
  static final Duration SPAWN_WAIT = Duration.ofSeconds(60);
  private final CliEnv env;
  private final NodeSpawner spawner;

  DownloadRunner(CliEnv env, NodeSpawner spawner) {
    this.env = env;
    this.spawner = spawner;
  }

  /** Runs {@code plan}; returns the exit code. */
  int run(DownloadPlan plan) {
    if (plan.note() != null) {
      LOG.warn("{}", plan.note());
    }
    LOG.info("dfget {} -> {} (pattern {}, supernodes {})", plan.request().url(), plan.output(),
        plan.request().pattern(), plan.request().nodes());
    CountDownLatch finished = new CountDownLatch(1);
    try (LocalClient client = new LocalClient()) {
      Thread hook = new Thread(() -> interrupt(client, finished), "dfget-interrupt");
      addHook(hook);
      ProgressEvent end;
      try {
        end = download(client, plan);
      } finally {
        removeHook(hook);
      }
      return report(plan, end);
    } finally {
      finished.countDown();
    }
  }

  private ProgressEvent download(LocalClient client, DownloadPlan plan) {
    NodeLocator locator = new NodeLocator(client, spawner, InstantSource.system(), SPAWN_WAIT);
    try (NodeHandle node = locator.locate(plan.home(), plan.useDaemon() ? plan.daemonPort() : 0, plan.server())) {
      LOG.info("download goes to the {}", node);
      ProgressBar bar = new ProgressBar(env.err());
      ProgressEvent end = client.download(node.localPort(), plan.request(), e -> {
        if (plan.showBar()) {
          bar.update(e);
        }
      });
      if (plan.showBar()) {
        if (ProgressEvent.DONE.equals(end.type())) {
          bar.update(end);
        }
        bar.finish();
      }
      return end;
    } catch (CliException e) {
      return LocalClient.failure(e.exit(), e.getMessage());
    }
  }

  private int report(DownloadPlan plan, ProgressEvent end) {
    if (plan.machine()) {
      env.out().println(Json.writeString(end));
    }
    if (ProgressEvent.DONE.equals(end.type())) {
      String line = Summary.line(end, plan.output());
      LOG.info("{}", line);
      if (!plan.machine()) {
        env.out().println(line);
      }
      env.out().flush();
      return DfgetExit.OK.code();
    }
    int code = end.exitCode() == 0 ? DfgetExit.FAILED.code() : end.exitCode();
    LOG.warn("download of {} failed (exit {}): {}", plan.request().url(), code, end.message());
    env.err().println(Summary.error(end.message()));
    env.err().flush();
    env.out().flush();
    return code;
  }

  /** Ctrl-C: cancel the download and give the main thread a moment to report it. */
  private static void interrupt(LocalClient client, CountDownLatch finished) {
    client.cancel();
    try {
      finished.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void addHook(Thread hook) {
    if (env.installHooks()) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  private void removeHook(Thread hook) {
    if (env.installHooks()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down (Ctrl-C): the hook is running
      }
    }
  }
}
