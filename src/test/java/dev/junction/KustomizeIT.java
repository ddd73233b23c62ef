package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkStdioServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl kustomize k8s/} (no cluster needed), every manifest read strictly into the
 * Kubernetes API types (an unknown or misspelt field fails), and the manifests held against the
 * gateway: the probes' paths and ports are served by a gateway started from the ConfigMap's own
 * {@code junction.yaml}, which {@code --validate} accepts.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KustomizeIT {
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "v1/Namespace", Namespace.class,
      "v1/ServiceAccount", ServiceAccount.class,
      "v1/ConfigMap", ConfigMap.class,
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "apps/v1/Deployment", Deployment.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
      "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The manifests kubectl builds from a kustomization directory. */
  private static List<JsonNode> kustomize(String dir) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("kubectl", "kustomize", dir).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      Assumptions.abort("kubectl is not installed here (CI has it): " + e.getMessage());
      return List.of();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize " + dir).isZero();
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(out)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
        if (d != null && !d.isNull()) {
          docs.add(d);
        }
      });
    }
    return docs;
  }

  /** Reads one manifest into its API type; unknown fields, at any depth, fail. */
  static HasMetadata strict(JsonNode doc) throws Exception {
    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(key);
    assertThat(type).as("a known kind: " + key).isNotNull();
    HasMetadata m = JSON.treeToValue(doc, type);
    List<String> unknown = new ArrayList<>();
    unknownFields(m, key + " " + m.getMetadata().getName(), unknown);
    assertThat(unknown).as("fields the Kubernetes API does not know").isEmpty();
    return m;
  }

  /** The model keeps fields it does not know in additionalProperties instead of failing: look for them. */
  private static void unknownFields(Object o, String path, List<String> found) throws ReflectiveOperationException {
    if (o instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", found);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), found);
      }
      return;
    }
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (InvocationTargetException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + ": " + extra.keySet());
        }
      } else {
        String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        unknownFields(value, path + "." + field, found);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(o -> (T) o).toList();
  }

  private static int containerPort(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
        .map(ContainerPort::getContainerPort)
        .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
  }

  @Test
  void aMisspeltOrUnknownFieldFails() throws Exception {
    JsonNode good = YAML.readTree("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec: {replicas: 1}
        """);
    strict(good);
    ObjectNode typo = good.deepCopy();
    ((ObjectNode) typo.get("spec")).put("replica", 3);
    assertThatThrownBy(() -> strict(typo)).hasMessageContaining("spec").hasMessageContaining("replica");
    ObjectNode deep = good.deepCopy();
    ((ObjectNode) deep.get("spec")).putObject("template").putObject("spec").putArray("containers").addObject()
        .put("name", "a").putObject("securityContext").put("readOnlyRootFs", true);
    assertThatThrownBy(() -> strict(deep)).hasMessageContaining("readOnlyRootFs");
  }

  @Test
  void theBaseBuildsAndEveryManifestIsValid(@TempDir Path dir) throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode doc : kustomize("k8s/")) {
      objects.add(strict(doc));
    }
    assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet()))
        .contains("ServiceAccount/junction", "Service/junction", "Service/junction-cluster", "Deployment/junction",
            "PodDisruptionBudget/junction", "HorizontalPodAutoscaler/junction", "NetworkPolicy/junction");

    Deployment deployment = all(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    // the ConfigMap's junction.yaml is the one the container reads, and it is valid
    ConfigMap configMap = all(objects, ConfigMap.class).get(0);
    String volume = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow()
        .getConfigMap().getName();
    assertThat(volume).isEqualTo(configMap.getMetadata().getName());
    String mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals("config")).findFirst().orElseThrow()
        .getMountPath();
    String yaml = configMap.getData().get("junction.yaml");
    assertThat(c.getArgs()).containsExactly("--config", mount + "/junction.yaml");
    JunctionConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(yaml);
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, yaml);
    Process validate = new ProcessBuilder(SdkStdioServer.javaExecutable(), "-jar", "target/junction.jar",
        "--validate", "--config", file.toString()).redirectErrorStream(true).start();
    String said = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(validate.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(validate.exitValue()).as(said).isZero();

    // ports: the Service reaches the MCP listener, the probes the management listener
    assertThat(config.management()).as("the management port is on").isNotNull();
    Service mcp = all(objects, Service.class).stream().filter(s -> s.getMetadata().getName().equals("junction"))
        .findFirst().orElseThrow();
    assertThat(containerPort(c, mcp.getSpec().getPorts().get(0).getTargetPort())).isEqualTo(config.port());
    List<Probe> probes = List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe());
    for (Probe probe : probes) {
      assertThat(containerPort(c, probe.getHttpGet().getPort())).isEqualTo(config.management().port());
    }
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    for (var rule : all(objects, NetworkPolicy.class).get(0).getSpec().getIngress()) {
      rule.getPorts().forEach(p -> assertThat(containerPort(c, p.getPort())).isPositive());
    }
    probesAreServed(yaml, probes);

    // the drain fits in the grace period
    long drainSeconds = (config.shutdown().drainDelayMs() + config.shutdown().timeoutMs()) / 1000;
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(drainSeconds);

    // locked down: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp, writable /tmp
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    String tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow()
        .getName();
    assertThat(pod.getVolumes().stream().filter(v -> v.getName().equals(tmp)).findFirst().orElseThrow().getEmptyDir())
        .isNotNull();
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");

    ServiceAccount account = all(objects, ServiceAccount.class).get(0);
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    assertThat(objects).noneMatch(o -> o.getKind().endsWith("Role") || o.getKind().endsWith("RoleBinding"));
    assertThat(all(objects, Service.class)).anyMatch(s -> "None".equals(s.getSpec().getClusterIP()));
  }

  @Test
  void theExampleOverlayBuildsAndIsValid() throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode doc : kustomize("k8s/overlays/example")) {
      objects.add(strict(doc));
    }
    Set<String> namespaces = objects.stream().filter(o -> !(o instanceof Namespace))
        .map(o -> o.getMetadata().getNamespace()).collect(Collectors.toSet());
    assertThat(namespaces).containsExactly("mcp-gateway");
    Deployment deployment = all(objects, Deployment.class).get(0);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.com/platform/junction:0.1.0");
    assertThat(all(objects, Secret.class)).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("junction-env", "junction-upstream-credentials");
  }

  /**
   * Starts a gateway from the ConfigMap's config, on loopback and free ports, with the demo server
   * from the local jar, and asks the probes' paths on the management port (200) and the MCP port (404).
   */
  private static void probesAreServed(String yaml, List<Probe> probes) throws Exception {
    @SuppressWarnings("unchecked")
    JsonObject tree = new JsonObject(YAML.readValue(yaml, Map.class));
    tree.getJsonObject("listen").put("host", "127.0.0.1").put("port", 0);
    tree.getJsonObject("management").put("host", "127.0.0.1").put("port", 0);
    tree.getJsonObject("upstreams").getJsonObject("demo").put("command",
        List.of(SdkStdioServer.javaExecutable(), "-cp", "target/junction.jar", "dev.junction.demo.DemoServer"));
    tree.put("health", new JsonObject().put("probeInterval", "0s"));
    Junction junction = Junction.start(new ConfigLoader(Map.<String, String>of()::get).parse(tree.encode())).await();
    try {
      for (Probe probe : probes) {
        String path = probe.getHttpGet().getPath();
        try (RawMcp management = new RawMcp("http://127.0.0.1:" + junction.managementPort() + path);
             RawMcp mcp = new RawMcp("http://127.0.0.1:" + junction.port() + path)) {
          assertThat(management.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).status()).as(path)
              .isEqualTo(200);
          assertThat(mcp.send(HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null).status()).as(path)
              .isEqualTo(404);
        }
      }
    } finally {
      junction.close().await();
    }
  }
}
