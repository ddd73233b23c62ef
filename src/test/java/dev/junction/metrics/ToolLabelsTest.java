package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Per-tool labels stay bounded: only listed names label the meters, and no more than the cap. */
class ToolLabelsTest {
  private static JsonArray tools(String... names) {
    JsonArray a = new JsonArray();
    for (String n : names) {
      a.add(new JsonObject().put("name", n).put("inputSchema", new JsonObject()));
    }
    return a;
  }

  private static Set<String> series(SimpleMeterRegistry registry) {
    return registry.getMeters().stream().map(Meter::getId)
        .filter(id -> id.getName().startsWith("junction.tool."))
        .map(id -> id.getName() + id.getTags()).collect(Collectors.toSet());
  }

  @Test
  void tenThousandUnknownToolNamesAddNoSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JunctionMetrics metrics = JunctionMetrics.of(registry);
    metrics.toolsListed("s", tools("echo", "search"), 500);
    metrics.toolCall("s", "echo", "-", "ok", 1_000);
    metrics.toolCall("s", "never-listed", "-", "ok", 1_000);
    Set<String> before = series(registry);
    assertThat(before).anyMatch(s -> s.contains("tool=echo")).anyMatch(s -> s.contains("tool=other"));
    for (int i = 0; i < 10_000; i++) {
      metrics.toolCall("s", "made-up-" + i, "-", "ok", 1_000);
    }
    assertThat(series(registry)).isEqualTo(before);
    assertThat(registry.find("junction.tool.calls").tag("tool", "other").counter().count()).isEqualTo(10_001);
  }

  @Test
  void theCapBoundsListedNamesToo() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JunctionMetrics metrics = JunctionMetrics.of(registry);
    metrics.toolsListed("a", tools("t1", "t2", "t3", "t4", "t5"), 3);
    metrics.toolsListed("b", tools("u1"), 3);
    List<String> labels = List.of("t1", "t2", "t3", "t4", "t5").stream().map(t -> metrics.toolLabel("a", t)).toList();
    assertThat(labels).containsExactly("t1", "t2", "t3", "other", "other");
    assertThat(metrics.toolLabel("b", "u1")).isEqualTo("other");
    assertThat(metrics.toolLabel("b", "t1")).as("a name is listed per upstream").isEqualTo("other");
  }
}
