package io.damselfly.testing.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Runs the real skopeo: pushes an {@link OciImage} to a registry, and pulls through a registry mirror
 * configured the way users configure podman, cri-o and skopeo ({@code registries.conf}), with credentials
 * for the mirror in an auth file keyed by the mirror's {@code host:port}.
 */
public final class Skopeo {
  private static final long TIMEOUT_SECONDS = 300;
  private final Path workDir;

  public Skopeo(Path workDir) throws IOException {
    this.workDir = Files.createDirectories(workDir);
    Tools.require("skopeo");
  }

  /** Pushes {@code image} to {@code registryHostPort}/{@code repo}:{@code image.tag()}; creds may be null. */
  public void push(OciImage image, String registryHostPort, String repo, String user, String password)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Tools.require("skopeo").toString(), "copy", "--dest-tls-verify=false"));
    if (user != null) {
      cmd.add("--dest-creds=" + user + ":" + password);
    }
    cmd.add("oci:" + image.dir() + ":" + image.tag());
    cmd.add("docker://" + registryHostPort + "/" + repo + ":" + image.tag());
    Tools.run(workDir, TIMEOUT_SECONDS, cmd.toArray(String[]::new));
  }

  /**
   * A registries.conf that sends pulls of {@code registryName} to {@code mirrorHostPort} (plain HTTP) first.
   */
  public Path registriesConf(String name, String registryName, String mirrorHostPort) throws IOException {
    return Files.writeString(workDir.resolve(name), "[[registry]]\nlocation = \"" + registryName
        + "\"\ninsecure = true\n[[registry.mirror]]\nlocation = \"" + mirrorHostPort + "\"\ninsecure = true\n");
  }

  /** An auth file giving {@code user}/{@code password} for {@code hostPort}. */
  public Path authFile(String name, String hostPort, String user, String password) throws IOException {
    String b64 = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return Files.writeString(workDir.resolve(name), "{\"auths\":{\"" + hostPort + "\":{\"auth\":\"" + b64 + "\"}}}");
  }

  /**
   * Pulls {@code image} ({@code host/repo:tag}) into the directory {@code out} ({@code dir:} transport:
   * one file per blob named by its hex digest) with {@code registriesConf}; {@code authFile} may be null.
   *
   * @return skopeo's output
   */
  public String pull(Path registriesConf, Path authFile, String image, Path out) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Tools.require("skopeo").toString(), "--registries-conf",
        registriesConf.toString(), "copy", "--src-tls-verify=false"));
    if (authFile != null) {
      cmd.add("--authfile=" + authFile);
    }
    cmd.add("docker://" + image);
    cmd.add("dir:" + out);
    return Tools.run(workDir, TIMEOUT_SECONDS, cmd.toArray(String[]::new));
  }
}
