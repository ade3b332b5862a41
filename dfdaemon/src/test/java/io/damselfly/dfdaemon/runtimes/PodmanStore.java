package io.damselfly.dfdaemon.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real podman with an image store of its own in a temp dir (the {@code vfs} driver, so nothing is ever
 * mounted), as one host: registries.conf from the test, credentials only from the auth file the test names
 * (never the user's). podman leaves no process behind after a pull or a login.
 */
final class PodmanStore {
  private static final int MAX_RUNROOT = 50;
  private final Path dir;

  PodmanStore(Path dir) throws IOException {
    Commands.require("podman");
    if (dir.resolve("run").toString().length() > MAX_RUNROOT) {
      throw new IllegalArgumentException("podman needs a run root of at most " + MAX_RUNROOT
          + " characters, got " + dir.resolve("run") + ": use a shorter directory");
    }
    this.dir = Files.createDirectories(dir);
  }

  /** {@code podman login} to {@code hostPort} (the mirror, as the README tells users), saved in {@code authFile}. */
  Commands.Result login(Path authFile, String hostPort, String user, String password)
      throws IOException, InterruptedException {
    return podman(List.of("login", "--tls-verify=false", "--authfile", authFile.toString(), "--username", user,
        "--password", password, hostPort), Map.of());
  }

  /** {@code podman pull} of {@code ref} with {@code registriesConf} and the credentials of {@code authFile}. */
  Commands.Result pull(Path registriesConf, Path authFile, String ref) throws IOException, InterruptedException {
    return podman(List.of("pull", "--tls-verify=false", "--authfile", authFile.toString(), ref),
        Map.of("CONTAINERS_REGISTRIES_CONF", registriesConf.toString()));
  }

  /** The digests of the store's images ({@code podman images --digests}). */
  String images() throws IOException, InterruptedException {
    return podman(List.of("images", "--digests", "--format", "{{.Repository}}:{{.Tag}} {{.Digest}}"), Map.of())
        .orThrow().output();
  }

  /** An auth file that holds no credentials at all. */
  static Path emptyAuthFile(Path file) throws IOException {
    return Files.writeString(file, "{\"auths\":{}}");
  }

  private Commands.Result podman(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Commands.require("podman").toString(), "--root",
        dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(), "--tmpdir",
        dir.resolve("tmp").toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
        "--events-backend", "file"));
    cmd.addAll(args);
    return Commands.run(dir, env, cmd);
  }
}
