package io.damselfly.benchmarks.lab;

import io.damselfly.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What the lab does with a system's outcome: checks every copy, and removes the copies afterwards. */
final class Outcomes {
  private Outcomes() {}

  /** An outcome where no host finished. */
  static Outcome failed(Trial t, String why) {
    List<Double> none = Collections.nCopies(t.n(), Double.NaN);
    List<Path> outputs = t.peers().stream().map(h -> t.dir(h).resolve("missing")).toList();
    return new Outcome(none, outputs, -1, why);
  }

  /** Per host, whether its copy exists and its SHA-256 matches the file's (two at a time). */
  static List<Boolean> verify(Outcome o, Workload file) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> checks = new ArrayList<>();
      for (int i = 0; i < o.outputs().size(); i++) {
        Path out = o.outputs().get(i);
        boolean finished = !o.seconds().get(i).isNaN();
        checks.add(pool.submit(() -> finished && Files.isRegularFile(out) && Files.size(out) == file.size()
            && TestFiles.sha256(out).equals(file.sha256())));
      }
      List<Boolean> ok = new ArrayList<>();
      for (Future<Boolean> f : checks) {
        try {
          ok.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          ok.add(false);
        }
      }
      return ok;
    } finally {
      pool.shutdownNow();
    }
  }
}
