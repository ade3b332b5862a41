package io.damselfly.dfdaemon.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real containerd of the test's own: root, state and GRPC socket in a temp dir, the CRI plugin off, and
 * content isolated per namespace (so each namespace is a separate "host" that fetches every blob itself).
 * Pulls run through {@code ctr} with a {@code hosts.toml} mirror configuration; closing stops containerd by PID.
 * Pulls unpack with the {@code native} snapshotter, so nothing is ever mounted.
 */
final class ContainerdProcess implements AutoCloseable {
  private final Path dir;
  private final Path socket;
  private final Process process;

  private ContainerdProcess(Path dir, Path socket, Process process) {
    this.dir = dir;
    this.socket = socket;
    this.process = process;
  }

  /** Starts containerd in {@code dir} and waits until it answers {@code ctr version}. */
  static ContainerdProcess start(Path dir) throws IOException, InterruptedException {
    Path binary = Commands.require("containerd");
    Commands.require("ctr");
    Files.createDirectories(dir);
    Path socket = dir.resolve("containerd.sock");
    Path config = Files.writeString(dir.resolve("config.toml"), String.join("\n",
        "version = 2",
        "root = \"" + dir.resolve("root") + "\"",
        "state = \"" + dir.resolve("state") + "\"",
        "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
        "[grpc]", "  address = \"" + socket + "\"",
        "[ttrpc]", "  address = \"" + socket + ".ttrpc\"",
        "[debug]", "  address = \"\"",
        "[metrics]", "  address = \"\"",
        "[plugins.\"io.containerd.metadata.v1.bolt\"]", "  content_sharing_policy = \"isolated\"", ""));
    Process p = new ProcessBuilder(binary.toString(), "--config", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("containerd.log").toFile()).start();
    ContainerdProcess c = new ContainerdProcess(dir, socket, p);
    try {
      c.awaitUp();
      return c;
    } catch (IOException | RuntimeException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  private void awaitUp() throws IOException, InterruptedException {
    for (int i = 0; i < 300 && !Files.exists(socket); i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("containerd exited: " + Files.readString(dir.resolve("containerd.log")));
      }
      Thread.sleep(100);
    }
    ctr("default", List.of("version")).orThrow();
  }

  /**
   * {@code ctr images pull} of {@code ref} in {@code namespace}, with mirrors from {@code hostsDir} and, when
   * {@code user} is not null, {@code --user user} ({@code name:password}).
   */
  Commands.Result pull(String namespace, Path hostsDir, String ref, String user) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("images", "pull", "--hosts-dir", hostsDir.toString(), "--plain-http",
        "--snapshotter", "native"));
    if (user != null) {
      args.addAll(List.of("--user", user));
    }
    args.add(ref);
    return ctr(namespace, args);
  }

  /** The references of the images of {@code namespace}, with their digests ({@code ctr images ls}). */
  String images(String namespace) throws IOException, InterruptedException {
    return ctr(namespace, List.of("images", "ls")).orThrow().output();
  }

  private Commands.Result ctr(String namespace, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Commands.require("ctr").toString(), "--address", socket.toString(),
        "--namespace", namespace));
    cmd.addAll(args);
    return Commands.run(dir, Map.of(), cmd);
  }

  @Override
  public void close() throws InterruptedException {
    Commands.stop(process);
  }
}
