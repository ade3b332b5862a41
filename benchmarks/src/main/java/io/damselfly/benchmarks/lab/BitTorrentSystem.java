package io.damselfly.benchmarks.lab;

import io.damselfly.benchmarks.net.Host;
import io.damselfly.benchmarks.net.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BitTorrent baseline: opentracker (whitelisting the torrent) on the origin's host, aria2c as the first
 * seeder holding the file on the seed host, and aria2c on every downloading host, all started at once and
 * seeding until the run ends. A host finished when aria2c's download-complete hook ran.
 */
final class BitTorrentSystem implements LabSystem {
  static final String NAME = "bittorrent";
  static final int TRACKER_PORT = 6969;
  static final int PEER_PORT = 6881;
  static final int RPC_PORT = 6800;
  private static final Pattern COMPLETE = Pattern.compile("8:completei(\\d+)e");
  private static final Pattern UPLOADED = Pattern.compile("\"uploadLength\":\"(\\d+)\"");
  private static final String DONE = ".lab-done";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int sourceHost() {
    return 1;
  }

  @Override
  public Outcome run(Trial t) throws Exception {
    Path dir = Files.createDirectories(t.dir().resolve("torrent"));
    Path torrent = dir.resolve(t.file().name() + ".torrent");
    Sh.run("mktorrent", "-a", "http://" + t.origin().endpoint(TRACKER_PORT) + "/announce", "-l", "20", "-o",
        torrent.toString(), t.file().path().toString());
    String infoHash = infoHash(torrent);
    startTracker(t, dir, infoHash);
    Path seedDir = Files.createDirectories(t.dir(t.seed()).resolve("bt"));
    Files.createLink(seedDir.resolve(t.file().name()), t.file().path());
    t.procs().start(t.seed().command(aria(t, t.seed(), seedDir, torrent, true)), t.log(t.seed(), "aria2c"),
        Map.of());
    awaitSeeder(t, infoHash);

    Path hook = dir.resolve("done-hook.sh");
    Files.writeString(hook, "#!/bin/sh\ndate +%s%N > \"$3" + DONE + "\"\n");
    hook.toFile().setExecutable(true);
    List<Path> outputs = new ArrayList<>();
    Finishes finishes = new Finishes(t.n());
    for (int i = 0; i < t.n(); i++) {
      Host h = t.peers().get(i);
      Path d = Files.createDirectories(t.dir(h).resolve("bt"));
      outputs.add(d.resolve(t.file().name()));
      List<String> argv = new ArrayList<>(aria(t, h, d, torrent, false));
      argv.add(argv.size() - 1, "--on-bt-download-complete=" + hook);
      Process p = t.procs().start(h.command(argv), t.log(h, "aria2c"), Map.of());
      int host = i;
      p.onExit().thenRun(() -> finishes.fail(host, "aria2c exited with code " + p.exitValue()));
    }
    boolean all = finishes.await(t.limit(), () -> {
      for (int i = 0; i < t.n(); i++) {
        readDone(finishes, i, outputs.get(i));
      }
    });
    long uploaded = seederUploaded(t);
    String note = finishes.failures() + " (BitTorrent counts the first seeder's uploads as origin bytes)";
    return new Outcome(finishes.seconds(), outputs, uploaded, all ? note : "limit reached; " + note);
  }

  private static String infoHash(Path torrent) {
    Matcher m = Pattern.compile("Info Hash: ([0-9a-f]{40})").matcher(Sh.run("aria2c", "-S", torrent.toString()));
    if (!m.find()) {
      throw new IllegalStateException("aria2c -S " + torrent + " printed no info hash");
    }
    return m.group(1);
  }

  private static void startTracker(Trial t, Path dir, String infoHash) throws IOException {
    Path whitelist = dir.resolve("whitelist.txt");
    Files.writeString(whitelist, infoHash + "\n");
    Path conf = dir.resolve("opentracker.conf");
    String at = t.origin().endpoint(TRACKER_PORT);
    Files.writeString(conf, "listen.tcp " + at + "\nlisten.udp " + at + "\naccess.whitelist " + whitelist + "\n");
    t.procs().start(t.origin().command(List.of("opentracker", "-f", conf.toString())), t.log(t.origin(), "tracker"),
        Map.of());
    t.origin().awaitPort(t.origin().address(), t.origin().port(TRACKER_PORT), 20);
  }

  /** aria2c's command line; the torrent file comes last. */
  private static List<String> aria(Trial t, Host h, Path dir, Path torrent, boolean seeder) {
    List<String> a = new ArrayList<>(List.of("aria2c", "-d", dir.toString(), "--seed-ratio=0.0",
        "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
        "--disable-ipv6=true", "--listen-port=" + h.port(PEER_PORT), "--bt-external-ip=" + h.address(),
        "--file-allocation=none", "--allow-overwrite=true", "--auto-file-renaming=false", "--summary-interval=0",
        "--console-log-level=warn", "--check-certificate=false"));
    if (seeder) {
      a.addAll(List.of("--bt-seed-unverified=true", "--check-integrity=false", "--enable-rpc=true",
          "--rpc-listen-port=" + h.port(RPC_PORT)));
    }
    if (!t.net().kernelCaps()) {
      a.addAll(List.of("--max-overall-upload-limit=" + t.rateBytes(),
          "--max-overall-download-limit=" + t.rateBytes()));
    }
    a.add(torrent.toString());
    return a;
  }

  /** Waits until the tracker lists the seeder as complete, so every leecher's first announce finds it. */
  private static void awaitSeeder(Trial t, String infoHash) throws InterruptedException {
    String url = "http://" + t.origin().endpoint(TRACKER_PORT) + "/scrape?info_hash=" + urlEncodeHex(infoHash);
    for (int i = 0; i < 300; i++) {
      Sh.Result r = Sh.exec(t.origin().command(List.of("curl", "-s", url)));
      Matcher m = COMPLETE.matcher(r.out());
      if (m.find() && Integer.parseInt(m.group(1)) >= 1) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the first seeder did not announce itself to the tracker within 30 s");
  }

  static String urlEncodeHex(String hex) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      b.append('%').append(hex, i, i + 2);
    }
    return b.toString();
  }

  private static void readDone(Finishes finishes, int i, Path output) {
    Path done = output.resolveSibling(output.getFileName() + DONE);
    if (finishes.finished(i) || !Files.exists(done)) {
      return;
    }
    try {
      String text = Files.readString(done).strip();
      if (text.matches("\\d{10,}")) {
        finishes.finishedAt(i, Long.parseLong(text));
      }
    } catch (IOException e) {
      // written right now: read it on the next poll
    }
  }

  /** The first seeder's uploaded bytes from its JSON-RPC, or -1. */
  private static long seederUploaded(Trial t) {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":\"lab\",\"method\":\"aria2.tellActive\",\"params\":[[\"uploadLength\"]]}";
    Sh.Result r = Sh.exec(t.seed().command(List.of("curl", "-s", "-d", body,
        "http://127.0.0.1:" + t.seed().port(RPC_PORT) + "/jsonrpc")));
    Matcher m = UPLOADED.matcher(r.out());
    long sum = -1;
    while (m.find()) {
      sum = Math.max(sum, 0) + Long.parseLong(m.group(1));
    }
    return sum;
  }
}
