package io.damselfly.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A dfdaemon jar running on random loopback ports. */
public final class DfdaemonProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("dfdaemon ready port=(\\d+) upload=(\\d+)");
  private static final Duration START_LIMIT = Duration.ofMinutes(2);

  private final Proc proc;
  private final int port;
  private final int uploadPort;

  private DfdaemonProcess(Proc proc, int port, int uploadPort) {
    this.proc = proc;
    this.port = port;
    this.uploadPort = uploadPort;
  }

  /**
   * Starts {@code jar} with its home in {@code home}, on random ports, and waits for its ready line.
   *
   * @param extraArgs further flags, e.g. {@code --node 127.0.0.1:8002}
   */
  public static DfdaemonProcess start(String name, Path jar, Path home, Path logDir, List<String> extraArgs)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--upload-port", "0",
        "--advertise-ip", "127.0.0.1", "--home", home.toString()));
    args.addAll(extraArgs);
    Proc.Ready ready = Proc.startReady(Launch.jar(name, jar, args, Map.of(), logDir), READY, START_LIMIT);
    Matcher m = ready.line();
    return new DfdaemonProcess(ready.proc(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** The mirror / proxy / local API port (dfget's {@code --daemon-port}). */
  public int port() {
    return port;
  }

  /** The port other peers fetch pieces from. */
  public int uploadPort() {
    return uploadPort;
  }

  public Proc proc() {
    return proc;
  }

  @Override
  public void close() {
    proc.close();
  }
}
