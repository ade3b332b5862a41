package io.damselfly.peer.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.PeerNode;
import io.damselfly.peer.download.DownloadJob;
import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.ProgressEvent;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskView;
import io.damselfly.supernode.Supernode;
import io.damselfly.supernode.SupernodeConfig;
import io.damselfly.testing.OriginServer;
import io.damselfly.testing.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Real parts in one JVM on loopback: an origin, a supernode and any number of peer nodes, each
 * with its own home. Closing the cluster stops all of them.
 */
public final class Cluster implements AutoCloseable {
  private final Path dir;
  private final OriginServer origin;
  private final Supernode supernode;
  private final Http http = new Http();
  private final List<PeerNode> nodes = new ArrayList<>();

  private Cluster(Path dir, OriginServer origin, Supernode supernode) {
    this.dir = dir;
    this.origin = origin;
    this.supernode = supernode;
  }

  /** Starts an origin and a supernode with test settings, keeping their files under {@code dir}. */
  public static Cluster start(Path dir) throws IOException {
    return start(dir, c -> c);
  }

  /** Starts an origin and a supernode whose test settings {@code settings} changes (access, limits). */
  public static Cluster start(Path dir, UnaryOperator<SupernodeConfig> settings) throws IOException {
    OriginServer origin = OriginServer.start();
    try {
      Supernode sn = Supernode.start(settings.apply(SupernodeConfig.forTests(dir.resolve("supernode"))),
          InstantSource.system());
      return new Cluster(dir, origin, sn);
    } catch (RuntimeException e) {
      origin.close();
      throw e;
    }
  }

  public OriginServer origin() {
    return origin;
  }

  public Http http() {
    return http;
  }

  /** The supernode's API address as dfget's {@code --node} takes it. */
  public String supernode() {
    return "127.0.0.1:" + supernode.apiPort();
  }

  /** Writes {@code size} pseudo-random bytes and serves them at {@code path}. */
  public OriginFile serve(String path, long size, long seed) throws IOException {
    Path file = Files.createDirectories(dir.resolve("origin")).resolve(path.substring(1));
    var sha = TestFiles.write(file, size, seed);
    origin.serve(path, file);
    return new OriginFile(path, origin.url(path), file, sha, size);
  }

  /** A peer node on loopback with its own home {@code <dir>/<name>}, closed with the cluster. */
  public PeerNode node(String name) {
    return node(name, c -> c);
  }

  public PeerNode node(String name, UnaryOperator<NodeConfig> settings) {
    NodeConfig config = settings.apply(NodeConfig.defaults(dir.resolve(name))
        .withAddresses("127.0.0.1", "127.0.0.1").withKeepAlive(java.time.Duration.ZERO));
    PeerNode node = PeerNode.start(config, InstantSource.system());
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  /** A p2p download of {@code file} through this cluster's supernode. */
  public Requests download(OriginFile file, Path output) {
    return Requests.download(file.url(), output).nodes(supernode());
  }

  /** Runs a download on {@code node} to its end. */
  public static ProgressEvent run(PeerNode node, DownloadRequest request) {
    return new DownloadJob(node.context(), request).run();
  }

  /** The supernode's view of one task. */
  public TaskView task(String taskId) throws IOException, InterruptedException {
    return http.getJson(api(ProtocolV1.path(ProtocolV1.TASK, taskId)), new TypeReference<TaskView>() {});
  }

  /** The supernode's view of every task. */
  public List<TaskView> tasks() throws IOException, InterruptedException {
    return http.getJson(api(ProtocolV1.TASKS), new TypeReference<List<TaskView>>() {});
  }

  /** The URL of {@code path} on the supernode's API. */
  public String api(String path) {
    return "http://" + supernode() + path;
  }

  /** A loopback port that nothing listens on (it was free a moment ago). */
  public static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of the entries of {@code directory}, sorted. */
  public static Set<String> namesIn(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Override
  public void close() {
    synchronized (nodes) {
      for (PeerNode n : nodes.reversed()) {
        n.close();
      }
      nodes.clear();
    }
    supernode.close();
    origin.close();
    http.close();
  }
}
