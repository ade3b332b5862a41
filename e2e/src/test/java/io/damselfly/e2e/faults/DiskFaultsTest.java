package io.damselfly.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.common.Digest;
import io.damselfly.e2e.Dfget;
import io.damselfly.e2e.Jars;
import io.damselfly.e2e.Proc;
import io.damselfly.e2e.Sandbox;
import io.damselfly.e2e.SupernodeProcess;
import io.damselfly.protocol.DfgetExit;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk protection on real small disks (a tmpfs per test): a file that cannot fit is refused before a byte
 * is written, and a disk that fills up in the middle of a write ends the download with a clear error,
 * no corrupt cache entry and nothing at the output. Needs root to mount the tmpfs.
 */
class DiskFaultsTest {
  private static final long SIZE = 16L << 20;
  private static final String PATH = "/disk.bin";
  private static final Recorder RECORDER = new Recorder(DiskFaultsTest.class);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;
  private OriginServer origin;
  private Sandbox sandbox;
  private Dfget dfget;
  private Digest sha256;
  private String url;

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("f.bin");
    sha256 = TestFiles.write(file, SIZE, 81);
    origin = OriginServer.start().serve(PATH, file);
    url = origin.url(PATH);
    sandbox = Sandbox.in(dir.resolve("run"));
    dfget = new Dfget(Jars.dfget(), sandbox, Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() {
    sandbox.close();
    origin.close();
  }

  private SupernodeProcess supernode(Path dataDir) throws Exception {
    return SupernodeProcess.start(Jars.supernode(), sandbox.home("supernode"), sandbox.logDir(),
        SupernodeProcess.smallPieces("--data-dir", dataDir.toString(), "--min-free", "0"));
  }

  private Dfget.Result get(SupernodeProcess sn, Path out, String... more) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
        "--notbs"));
    args.addAll(List.of(more));
    return dfget.run("host-" + Long.toHexString(System.nanoTime()), args);
  }

  @Test
  void aFileLargerThanTheCdnDiskIsRefusedBeforeAByteIsStored() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("cdn-disk"), 8L << 20);
        SupernodeProcess sn = supernode(disk.dir())) {
      Path out = sandbox.dir("out").resolve("f.bin");
      Dfget.Result r = get(sn, out);

      List<Path> cdnEntries = FaultKit.entries(disk.dir().resolve("cdn"));
      boolean ok = r.exitCode() != 0 && r.stderr().contains("cannot store") && cdnEntries.isEmpty()
          && FaultKit.entries(out.getParent()).isEmpty();
      RECORDER.record("cdnTooSmall", "a 16 MiB file for a CDN on an 8 MiB disk", ok
              ? "refused with 507 before a byte was stored; dfget exited " + r.exitCode() + " naming the shortfall"
              : "failed", ok, 0, 0, FaultKit.entries(out.getParent()).size(), FaultKit.crashed(sn), 1,
          Map.of("origin bytes", origin.bodyBytes(PATH)));

      assertThat(r.exitCode()).as("%s", r).isNotZero();
      assertThat(r.stderr()).contains("cannot store").contains("16.0 MiB");
      assertThat(cdnEntries).as("CDN entries").isEmpty();
      assertThat(out.getParent()).isEmptyDirectory();
    }
  }

  @Test
  void aCdnDiskThatFillsUpMidWriteFailsTheTaskAndKeepsNoCorruptEntry() throws Exception {
    origin.fault(PATH, OriginServer.Fault.throttle(4L << 20));
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("cdn-disk"), 24L << 20);
        SupernodeProcess sn = supernode(disk.dir())) {
      Path out = sandbox.dir("out").resolve("f.bin");
      Dfget.Result r;
      long filled;
      try (Proc p = dfget.start("host-a", List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
          "--notbs"))) {
        FaultKit.until("the CDN to store 2 MiB", () -> sn.taskFor(url).filter(t -> t.piecesStored() >= 8));
        filled = disk.fill("filler");
        r = Dfget.await(p);
      }
      List<Path> cdnEntries = FaultKit.entries(disk.dir().resolve("cdn"));
      Files.delete(disk.dir().resolve("filler"));
      origin.fault(PATH, OriginServer.Fault.NONE);
      Path again = sandbox.dir("again").resolve("f.bin");
      Dfget.Result retry = get(sn, again);

      boolean ok = r.exitCode() != 0 && r.stderr().contains("cannot write the CDN's copy") && cdnEntries.isEmpty()
          && FaultKit.entries(out.getParent()).isEmpty() && retry.exitCode() == 0;
      RECORDER.record("cdnDiskFull", "the CDN's 24 MiB disk is filled while it stores a 16 MiB file", ok
              ? "the task failed (507) naming the full disk; its entry was removed; a retry after space was freed worked"
              : "failed", ok, 0, FaultKit.wrongBytes(List.of(again), sha256), FaultKit.entries(out.getParent()).size(),
          FaultKit.crashed(sn), 1, Map.of("filler bytes", filled));

      assertThat(r.exitCode()).as("%s", r).isNotZero();
      assertThat(r.stderr()).contains("cannot write the CDN's copy");
      assertThat(cdnEntries).as("CDN entries after the failure").isEmpty();
      assertThat(out.getParent()).isEmptyDirectory();
      assertThat(retry.exitCode()).as("%s", retry).isZero();
      assertThat(TestFiles.sha256(again)).isEqualTo(sha256);
    }
  }

  @Test
  void aDownloadThatCannotFitItsOutputDiskFailsEarlyAndLeavesNothing() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("out-disk"), 8L << 20);
        SupernodeProcess sn = supernode(sandbox.dir("cdn"))) {
      Path out = Files.createDirectories(disk.dir().resolve("out")).resolve("f.bin");
      Dfget.Result r = get(sn, out);

      boolean ok = r.exitCode() == DfgetExit.OUTPUT_ERROR.code() && r.stderr().contains("not enough space")
          && FaultKit.entries(out.getParent()).isEmpty();
      RECORDER.record("outputTooSmall", "a 16 MiB download into an 8 MiB disk", ok
              ? "dfget exited 7 before writing, naming the space missing" : "failed", ok, 0, 0,
          FaultKit.entries(out.getParent()).size(), FaultKit.crashed(sn), 1, Map.of());

      assertThat(r.exitCode()).as("%s", r).isEqualTo(DfgetExit.OUTPUT_ERROR.code());
      assertThat(r.stderr()).contains("not enough space");
      assertThat(out.getParent()).isEmptyDirectory();
    }
  }

  @Test
  void anOutputDiskThatFillsUpMidWriteExitsSevenAndLeavesNothing() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("out-disk"), 24L << 20);
        SupernodeProcess sn = supernode(sandbox.dir("cdn"))) {
      Path out = Files.createDirectories(disk.dir().resolve("out")).resolve("f.bin");
      Dfget.Result r;
      try (Proc p = dfget.start("host-a", List.of("--url", url, "--output", out.toString(), "--node", sn.node(),
          "--notbs", "--totallimit", "4M"))) {
        FaultKit.until("2 MiB written to the output disk", () -> disk.used() >= 2L << 20 ? Optional.of(true)
            : Optional.empty());
        disk.fill("filler");
        r = Dfget.await(p);
      }

      boolean ok = r.exitCode() == DfgetExit.OUTPUT_ERROR.code() && FaultKit.entries(out.getParent()).isEmpty();
      RECORDER.record("outputDiskFull", "the output's 24 MiB disk is filled during a 16 MiB download", ok
              ? "dfget exited 7 naming the write that failed; no output and no temporary file were left" : "failed",
          ok, 0, 0, FaultKit.entries(out.getParent()).size(), FaultKit.crashed(sn), 1, Map.of());

      assertThat(r.exitCode()).as("%s", r).isEqualTo(DfgetExit.OUTPUT_ERROR.code());
      assertThat(r.stderr()).contains("cannot write");
      assertThat(out.getParent()).isEmptyDirectory();
    }
  }
}
