package io.damselfly.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** dfget's flags as typed, unvalidated; {@link PlanBuilder} turns them into a {@link DownloadPlan}. */
@Command(name = "dfget", sortOptions = false, usageHelpAutoWidth = true, versionProvider = Versions.class,
    description = {"Downloads a file over peer-to-peer: the host's peer node fetches verified pieces from other peers "
        + "and the supernode, writes the file atomically and keeps sharing it for a while.",
        "Example: dfget -u https://example.com/big.iso -o big.iso -n sn1,sn2 -b"},
    footer = {"", "Exit codes: 0 ok, 1 failed, 2 bad flag or value, 3 digest mismatch, 4 no supernode and --notbs, "
        + "5 origin error, 6 timeout, 7 output not writable, 8 no verified copy of a piece from any source, 130 "
        + "interrupted. See docs/CLI.md."})
final class DfgetOptions {
  @Option(names = {"-u", "--url"}, paramLabel = "URL", description = "The http or https URL to download (required).")
  String url;

  @Option(names = {"-o", "-O", "--output"}, paramLabel = "PATH",
      description = "File to write (default: the last path segment of the URL, in the current directory). "
          + "Written atomically: nothing appears there unless the download succeeds.")
  String output;

  @Option(names = {"-m", "--md5"}, paramLabel = "HEX", description = "Expected MD5 of the file (32 hex digits).")
  String md5;

  @Option(names = "--digest", paramLabel = "ALGO:HEX",
      description = "Expected digest, sha256:<64 hex> or md5:<32 hex>. With sha256 every URL of the same content "
          + "is one task.")
  String digest;

  @Option(names = "--callsystem", paramLabel = "NAME", description = "Name of the calling system, for logs.")
  String callSystem;

  @Option(names = "--notbs", description = "Never download from the origin (no back-to-source): fail with exit 4 "
      + "when no supernode can be used.")
  boolean notbs;

  @Option(names = {"-s", "--locallimit"}, paramLabel = "RATE",
      description = "Rate cap of this download, bytes per second: 20M, 512K or a number (default: none).")
  String localLimit;

  @Option(names = "--totallimit", paramLabel = "RATE",
      description = "Rate cap of all downloads of this host's node together (default: the node's setting).")
  String totalLimit;

  @Option(names = {"-i", "--identifier"}, paramLabel = "ID",
      description = "Extra task identity, so different files behind one URL stay different tasks.")
  String identifier;

  @Option(names = {"-e", "--timeout"}, paramLabel = "DURATION",
      description = "Give up after this long: seconds, or 500ms, 30s, 5m, 1h (default: no limit).")
  String timeout;

  @Option(names = {"-f", "--filter"}, paramLabel = "NAMES",
      description = "Query parameters left out of the task identity, separated by '&' or ',' (e.g. 'expires&sig').")
  List<String> filter = new ArrayList<>();

  @Option(names = {"-b", "--showbar"}, description = "Show a progress bar on stderr.")
  boolean showBar;

  @Option(names = {"-p", "--pattern"}, paramLabel = "PATTERN",
      description = "p2p (peers and supernode), cdn (supernode only) or source (origin only). Default: p2p.")
  String pattern = "p2p";

  @Option(names = {"-n", "--node"}, paramLabel = "HOST[:PORT],...",
      description = "Supernodes in failover order (default port 8002). Default: [node] address= of "
          + "<home>/dragonfly.conf, else of /etc/dragonfly.conf ($DAMSELFLY_CONF).")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--header", paramLabel = "'NAME: VALUE'",
      description = "Header for the origin; repeat for more (kept in order).")
  List<String> headers = new ArrayList<>();

  @Option(names = "--dfdaemon", description = "Called by dfdaemon: no progress bar; the result is one JSON line "
      + "on stdout.")
  boolean dfdaemon;

  @Option(names = "--console", description = "Print logs on stderr too (they always go to <home>/logs/dfget.log).")
  boolean console;

  @Option(names = "--home", paramLabel = "DIR",
      description = "Home for data and logs (default: $DAMSELFLY_HOME, else ~/.small-dragonfly; ~ is $HOME).")
  Path home;

  @Option(names = "--daemon-port", paramLabel = "PORT",
      description = "Local port of a dfdaemon on this host to hand the download to (default: 65001).")
  int daemonPort = io.damselfly.protocol.ProtocolV1.DEFAULT_DAEMON_PORT;

  @Option(names = "--no-daemon", description = "Do not use a dfdaemon; use (or start) this home's dfget node.")
  boolean noDaemon;

  @Option(names = "--keepalive", paramLabel = "DURATION",
      description = "For a node dfget starts: keep sharing this long after the last download (default: 5m).")
  String keepAlive;

  @Option(names = "--upload-limit", paramLabel = "RATE",
      description = "For a node dfget starts: upload rate cap to other peers (default: none).")
  String uploadLimit;

  @Option(names = "--piece-timeout", paramLabel = "DURATION",
      description = "For a node dfget starts: how long one piece may take from one source before the next source "
          + "is tried and the slow one reported (default: 30s).")
  String pieceTimeout;

  @Option(names = "--advertise-ip", paramLabel = "IP",
      description = "For a node dfget starts: the address other peers reach it on (default: the address used "
          + "towards the supernode).")
  String advertiseIp;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;
}
