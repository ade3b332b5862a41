package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The baseline without sharing: every host downloads the whole file from the origin (nginx) with curl. */
final class DirectSystem implements LabSystem {
  static final String NAME = "direct";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int sourceHost() {
    return 0;
  }

  @Override
  public Outcome run(Trial t) throws Exception {
    long cap = t.net().kernelCaps() ? 0 : t.rateBytes();
    Nginx origin = Nginx.start(t.origin(), t.file().path().getParent(), t.dir(t.origin()).resolve("nginx"), cap,
        t.procs());
    String url = origin.url(t.file().name());
    List<Path> outputs = new ArrayList<>();
    Finishes finishes = new Finishes(t.n());
    for (int i = 0; i < t.n(); i++) {
      Host h = t.peers().get(i);
      Path out = Files.createDirectories(t.dir(h)).resolve(t.file().name());
      outputs.add(out);
      List<String> curl = new ArrayList<>(List.of("curl", "-sS", "-f", "-o", out.toString()));
      if (cap > 0) {
        curl.addAll(List.of("--limit-rate", Long.toString(cap)));
      }
      curl.add(url);
      finishes.watch(i, t.procs().start(h.command(curl), t.log(h, "curl"), Map.of()), "curl");
    }
    boolean all = finishes.await(t.limit(), () -> {});
    String note = finishes.failures();
    return new Outcome(finishes.seconds(), outputs, origin.bodyBytesSent(), all ? note : "limit reached; " + note);
  }
}
