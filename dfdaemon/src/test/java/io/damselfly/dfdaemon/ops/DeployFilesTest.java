package io.damselfly.dfdaemon.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.damselfly.dfdaemon.ConfigFile;
import io.damselfly.dfdaemon.DaemonConfig;
import io.damselfly.dfdaemon.DfdaemonMain;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.supernode.SupernodeMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The deployment files stay consistent with the code: Kubernetes manifests (selectors, ports, volumes,
 * probes, images, arguments), the Dockerfiles, the systemd units and the example configs.
 */
class DeployFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern IMAGE_TAG = Pattern.compile("-t (damselfly/[a-z]+:[0-9.]+)");

  @TempDir Path dir;

  @Test
  void theSupernodeIsAStatefulSetBehindAServiceOnTheDefaultPorts() throws Exception {
    Map<String, JsonNode> k8s = manifests("deploy/kubernetes/supernode.yaml");
    JsonNode sts = k8s.get("StatefulSet/supernode");
    JsonNode svc = k8s.get("Service/supernode");
    assertThat(k8s).containsKey("Namespace/damselfly");
    assertThat(sts.at("/spec/serviceName").asText()).isEqualTo(svc.at("/metadata/name").asText());
    JsonNode labels = sts.at("/spec/template/metadata/labels");
    assertSelects(svc.at("/spec/selector"), labels);
    assertSelects(sts.at("/spec/selector/matchLabels"), labels);
    JsonNode c = sts.at("/spec/template/spec/containers/0");
    Map<String, Integer> ports = containerPorts(c);
    assertThat(ports).containsEntry("api", ProtocolV1.DEFAULT_API_PORT).containsEntry("pieces", ProtocolV1.DEFAULT_PIECE_PORT);
    for (JsonNode p : svc.at("/spec/ports")) {
      assertThat(ports).containsEntry(p.get("targetPort").asText(), p.get("port").asInt());
    }
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo(ProtocolV1.READY);
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo(ProtocolV1.PING);
    assertThat(ports).containsKeys(c.at("/readinessProbe/httpGet/port").asText(), c.at("/livenessProbe/httpGet/port").asText());
    assertThat(sts.at("/spec/template/metadata/annotations/prometheus.io~1port").asInt()).isEqualTo(ProtocolV1.DEFAULT_API_PORT);
    Set<String> volumes = names(sts.at("/spec/volumeClaimTemplates"), "/metadata/name");
    assertThat(names(c.at("/volumeMounts"), "/name")).isSubsetOf(volumes).isNotEmpty();
    assertThat(c.at("/image").asText()).isEqualTo(dockerTag("deploy/docker/supernode.Dockerfile"));
    parses(new SupernodeMain(), strings(c.at("/args")));
  }

  @Test
  void dfdaemonIsADaemonSetThatWritesContainerdHostsTomlAndFindsTheSupernode() throws Exception {
    Map<String, JsonNode> k8s = manifests("deploy/kubernetes/dfdaemon.yaml");
    Map<String, JsonNode> sn = manifests("deploy/kubernetes/supernode.yaml");
    JsonNode ds = k8s.get("DaemonSet/dfdaemon");
    JsonNode cm = k8s.get("ConfigMap/dfdaemon");
    assertSelects(ds.at("/spec/selector/matchLabels"), ds.at("/spec/template/metadata/labels"));
    JsonNode pod = ds.at("/spec/template/spec");
    JsonNode c = pod.at("/containers/0");
    JsonNode init = pod.at("/initContainers/0");
    Set<String> volumes = names(pod.at("/volumes"), "/name");
    assertThat(names(c.at("/volumeMounts"), "/name")).isSubsetOf(volumes);
    assertThat(names(init.at("/volumeMounts"), "/name")).isSubsetOf(volumes).contains("containerd-certs");
    for (JsonNode v : pod.at("/volumes")) {
      if (v.has("configMap")) {
        assertThat(v.at("/configMap/name").asText()).isEqualTo(cm.at("/metadata/name").asText());
      }
    }
    assertThat(pod.at("/volumes").findValuesAsText("path")).contains("/etc/containerd/certs.d");
    assertThat(init.at("/command/2").asText()).contains("/docker.io/hosts.toml");

    DaemonConfig config = ConfigFile.read(Files.writeString(dir.resolve("d.yml"), cm.at("/data/dfdaemon.yml").asText()))
        .applyTo(DaemonConfig.defaults(dir));
    Map<String, Integer> ports = containerPorts(c);
    assertThat(ports).containsEntry("proxy", config.port()).containsEntry("upload", config.uploadPort());
    assertThat(config.port()).isEqualTo(ProtocolV1.DEFAULT_DAEMON_PORT);
    assertThat(cm.at("/data/hosts.toml").asText()).contains("[host.\"http://127.0.0.1:" + config.port() + "\"]");
    JsonNode sts = sn.get("StatefulSet/supernode");
    String supernode = sts.at("/metadata/name").asText() + "-0." + sts.at("/spec/serviceName").asText() + "."
        + sts.at("/metadata/namespace").asText() + ".svc.cluster.local:" + ProtocolV1.DEFAULT_API_PORT;
    assertThat(config.supernodes()).containsExactly(supernode);
    assertThat(ds.at("/metadata/namespace").asText()).isEqualTo(sts.at("/metadata/namespace").asText());
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo(ProtocolV1.READY);
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo(ProtocolV1.PING);
    assertThat(ports).containsKey(c.at("/readinessProbe/httpGet/port").asText());
    assertThat(c.at("/image").asText()).isEqualTo(dockerTag("deploy/docker/dfdaemon.Dockerfile"));
    List<String> args = new ArrayList<>(strings(c.at("/args")));
    assertThat(args).contains("$(HOST_IP)");
    assertThat(c.at("/env").findValuesAsText("name")).contains("HOST_IP");
    args.replaceAll(a -> a.equals("$(HOST_IP)") ? "10.0.0.1" : a);
    parses(new DfdaemonMain(), args);
  }

  @Test
  void dockerfilesUseTheJreBaseTheBuiltJarsAndTheDefaultPorts() {
    String sn = RepoFiles.read("deploy/docker/supernode.Dockerfile");
    String dd = RepoFiles.read("deploy/docker/dfdaemon.Dockerfile");
    for (String f : List.of(sn, dd)) {
      assertThat(f).containsPattern("(?m)^FROM eclipse-temurin:21-jre$");
    }
    assertThat(sn).contains("ARG JAR=supernode/target/damselfly-supernode.jar")
        .contains("EXPOSE " + ProtocolV1.DEFAULT_API_PORT + " " + ProtocolV1.DEFAULT_PIECE_PORT);
    assertThat(dd).contains("ARG JAR=dfdaemon/target/damselfly-dfdaemon.jar")
        .contains("EXPOSE " + ProtocolV1.DEFAULT_DAEMON_PORT).contains("COPY deploy/conf/dfdaemon.yml ");
    assertThat(RepoFiles.root().resolve("deploy/conf/dfdaemon.yml")).exists();
  }

  @Test
  void systemdUnitsRunTheDistributionsJarsWithValidFlags() {
    for (String unit : List.of("supernode", "dfdaemon")) {
      String text = RepoFiles.read("deploy/systemd/" + unit + ".service");
      Matcher m = Pattern.compile("-jar /opt/damselfly/lib/(damselfly-[a-z]+\\.jar)((?:\\\\\\n|[^\\n])*)").matcher(text);
      assertThat(m.find()).as("%s runs a jar of /opt/damselfly/lib", unit).isTrue();
      assertThat(m.group(1)).isEqualTo("damselfly-" + unit + ".jar");
      List<String> flags = new ArrayList<>(List.of(m.group(2).replace("\\\n", " ").trim().split("\\s+")));
      flags.removeIf(f -> f.startsWith("$"));
      parses(unit.equals("supernode") ? new SupernodeMain() : new DfdaemonMain(), flags);
      assertThat(text).contains("[Install]", "Restart=on-failure");
    }
    assertThat(RepoFiles.read("deploy/conf/supernode.env")).contains("SUPERNODE_OPTS=");
    assertThat(RepoFiles.read("deploy/systemd/supernode.service"))
        .contains("EnvironmentFile=-/etc/damselfly/supernode.env");
  }

  @Test
  void exampleConfigsAreValid() throws IOException {
    DaemonConfig c = ConfigFile.read(RepoFiles.root().resolve("deploy/conf/dfdaemon.yml")).applyTo(DaemonConfig.defaults(dir));
    assertThat(c.port()).isEqualTo(ProtocolV1.DEFAULT_DAEMON_PORT);
    assertThat(c.supernodes()).isNotEmpty();
    assertThat(RepoFiles.read("deploy/conf/dragonfly.conf")).containsPattern("(?m)^\\[node\\]$")
        .containsPattern("(?m)^address = ");
  }

  private static void parses(Object command, List<String> args) {
    CommandLine cl = new CommandLine(command);
    cl.parseArgs(args.toArray(String[]::new));
    assertThat(cl.getParseResult().unmatched()).as("arguments %s", args).isEmpty();
  }

  private static String dockerTag(String dockerfile) {
    Matcher m = IMAGE_TAG.matcher(RepoFiles.read(dockerfile));
    assertThat(m.find()).as("%s names its image tag", dockerfile).isTrue();
    return m.group(1);
  }

  private static void assertSelects(JsonNode selector, JsonNode labels) {
    assertThat(selector.size()).isPositive();
    selector.fields().forEachRemaining(e -> assertThat(labels.path(e.getKey()).asText()).as("label %s", e.getKey())
        .isEqualTo(e.getValue().asText()));
  }

  private static Map<String, Integer> containerPorts(JsonNode container) {
    Map<String, Integer> out = new java.util.HashMap<>();
    container.path("ports").forEach(p -> out.put(p.get("name").asText(), p.get("containerPort").asInt()));
    return out;
  }

  private static Set<String> names(JsonNode list, String pointer) {
    Set<String> out = new HashSet<>();
    list.forEach(n -> out.add(n.at(pointer).asText()));
    return out;
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Every document of a manifest file by {@code Kind/name}. */
  private static Map<String, JsonNode> manifests(String file) throws IOException {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    try (var parser = YAML.getFactory().createParser(RepoFiles.read(file))) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        assertThat(doc.path("apiVersion").asText()).as("apiVersion in %s", file).isNotEmpty();
        out.put(doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText(), doc);
      }
    }
    return out;
  }
}
