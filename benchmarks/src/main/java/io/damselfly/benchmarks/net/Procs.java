package io.damselfly.benchmarks.net;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every process a lab run started, by PID, so that closing it stops exactly those (and their descendants):
 * SIGTERM first, SIGKILL for what is still alive after a grace period. While they run, their CPU time is
 * sampled every second (a process that exits loses at most its last second), summed by role.
 */
public final class Procs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Procs.class);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final long SAMPLE_MILLIS = 1000;
  /** The role of processes adopted when closing: the nodes dfget spawned. */
  public static final String NODE = "node";
  private final List<ProcessHandle> started = new ArrayList<>();
  private final Map<Long, String> roles = new java.util.HashMap<>();
  private final List<java.util.function.Supplier<List<Long>>> late = new ArrayList<>();
  private final CpuTimes cpu = new CpuTimes();
  private Thread sampler;

  /**
   * Starts {@code argv} with stdout and stderr appended to {@code log} and extra environment {@code env}; its
   * role in the CPU summary is the log's name without extension.
   */
  public Process start(List<String> argv, Path log, Map<String, String> env) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      Process p = pb.start();
      String name = log.getFileName().toString();
      adopt(p.toHandle(), name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
    }
  }

  /** Takes a process under this registry, with its role in the CPU summary. */
  public synchronized void adopt(ProcessHandle p, String role) {
    started.add(p);
    roles.putIfAbsent(p.pid(), role);
    if (sampler == null) {
      sampler = Thread.ofVirtual().name("procs-cpu").start(this::sampleLoop);
    }
  }

  /** Adopts the process with {@code pid} when it is alive. */
  public void adopt(long pid, String role) {
    ProcessHandle.of(pid).ifPresent(p -> adopt(p, role));
  }

  private void sampleLoop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        sample();
        Thread.sleep(SAMPLE_MILLIS);
      }
    } catch (InterruptedException e) {
      // closing
    }
  }

  private void sample() {
    List<ProcessHandle> roots;
    Map<Long, String> rolesNow;
    synchronized (this) {
      roots = List.copyOf(started);
      rolesNow = Map.copyOf(roles);
    }
    for (ProcessHandle p : roots) {
      String role = rolesNow.getOrDefault(p.pid(), "other");
      cpu.record(p, role);
      p.descendants().forEach(d -> cpu.record(d, rolesNow.getOrDefault(d.pid(), role + " child")));
    }
  }

  /** CPU seconds the processes used so far, by role (sampled; see the class comment). */
  public Map<String, Double> cpuSeconds() {
    return cpu.byRole();
  }

  /**
   * Adopts, when closing, the PIDs {@code pids} names then: processes that detach from the ones this
   * registry started (dfget's node), known only by a file they write.
   */
  public synchronized void adoptOnClose(java.util.function.Supplier<List<Long>> pids) {
    late.add(pids);
  }

  /** Stops every process started or adopted so far and forgets them. */
  @Override
  public void close() {
    List<java.util.function.Supplier<List<Long>>> lateNow;
    synchronized (this) {
      lateNow = List.copyOf(late);
      late.clear();
    }
    lateNow.forEach(s -> s.get().forEach(pid -> adopt(pid, NODE)));
    sample();
    List<ProcessHandle> all;
    Thread t;
    synchronized (this) {
      all = List.copyOf(started);
      started.clear();
      t = sampler;
    }
    if (t != null) {
      t.interrupt();
    }
    stop(all);
  }

  /** Stops the processes with these PIDs (and their descendants). */
  public static void killAll(List<Long> pids) {
    stop(pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).toList());
  }

  private static void stop(List<ProcessHandle> roots) {
    List<ProcessHandle> all = new ArrayList<>();
    for (ProcessHandle p : roots) {
      p.descendants().forEach(all::add);
      all.add(p);
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    long end = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle p : all) {
      long left = end - System.nanoTime();
      try {
        p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        if (p.isAlive()) {
          LOG.warn("pid {} ignored SIGTERM for {}: killing it", p.pid(), GRACE);
          p.destroyForcibly();
        }
      }
    }
  }
}
