package io.damselfly.cli;

import io.damselfly.cli.node.LocalClient;
import io.damselfly.cli.node.LocalJson;
import io.damselfly.cli.node.NodeHandle;
import io.damselfly.cli.node.NodeLocator;
import io.damselfly.cli.node.NodeSpawner;
import io.damselfly.cli.render.ProgressBar;
import io.damselfly.cli.render.Summary;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.protocol.ProgressEvent;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a validated download: finds (or starts) the node, streams progress to the bar, prints the summary
 * or the error, and cancels the download on Ctrl-C. Everything here uses the JDK alone; only a node embedded
 * in this process as the last resort loads the peer module.
 */
final class DownloadRunner {
  /**
   * How long dfget waits for the spawn lock, then for a node it started (while that process lives: one
   * that exits fails at once). A JVM normally starts in 1-3 s, but on a busy machine it took 15 s, and
   * the fallback, a node inside dfget, stops sharing the file when dfget exits.
   */
  static final Duration SPAWN_WAIT = Duration.ofSeconds(60);
  private final CliEnv env;
  private final NodeSpawner spawner;
  private final ClientLog log;

  DownloadRunner(CliEnv env, NodeSpawner spawner, ClientLog log) {
    this.env = env;
    this.spawner = spawner;
    this.log = log;
  }

  /** Runs {@code plan}; returns the exit code. */
  int run(DownloadPlan plan) {
    if (plan.note() != null) {
      log.warn(DownloadRunner.class, plan.note());
    }
    log.info(DownloadRunner.class, "dfget " + plan.request().url() + " -> " + plan.output() + " (pattern "
        + plan.request().pattern().wire() + ", supernodes " + plan.request().nodes() + ")");
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
    NodeLocator locator = new NodeLocator(client, spawner, InstantSource.system(), SPAWN_WAIT, log);
    try (NodeHandle node = locator.locate(plan.home(), plan.useDaemon() ? plan.daemonPort() : 0, plan.server())) {
      log.info(DownloadRunner.class, "download goes to the " + node);
      ProgressBar bar = new ProgressBar(env.err());
      ProgressEvent end = client.download(node.localPort(), plan.request(), plan.showBar() ? bar::update : null);
      if (plan.showBar()) {
        if (end.type() == ProgressEvent.Type.DONE) {
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
      env.out().println(LocalJson.write(end));
    }
    if (end.type() == ProgressEvent.Type.DONE) {
      String line = Summary.line(end, plan.output());
      log.info(DownloadRunner.class, line);
      if (!plan.machine()) {
        env.out().println(line);
      }
      env.out().flush();
      return DfgetExit.OK.code();
    }
    int code = end.exitCode() == 0 ? DfgetExit.FAILED.code() : end.exitCode();
    log.warn(DownloadRunner.class, "download of " + plan.request().url() + " failed (exit " + code + "): "
        + end.message());
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
