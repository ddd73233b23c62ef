package dev.junction.bench;

import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Gatling simulation loads: the test kit's upstreams and the gateway jar in its own process,
 * run as a child of the load generator (whose JVM must not load Vert.x's Netty next to Gatling's).
 *
 * <p>Argument: the gateway config as JSON, in which each upstream is given as its kind only
 * ({@code "stub"}: the Vert.x stub; {@code "sdk"}: the MCP Java SDK on Tomcat) and
 * {@code listen.port} is the port the gateway must use. Writes {@code HARNESS READY} on stdout once
 * the gateway is ready, then reads commands on stdin, one a line: {@code stop <upstream>} closes an
 * upstream (its port refuses connections from then on), {@code fail <upstream>} makes a stub answer
 * every tools/call with HTTP 500, {@code kill <node>} ends a gateway node with SIGKILL. Each command
 * is answered {@code HARNESS DONE <command>}. At the end of stdin (the load generator ended or died)
 * everything is closed.
 *
 * <p>With {@code "clusterPorts": [p1, p2, ...]} in the config, more gateway nodes listen on those
 * ports, all joined with the first in one cluster on loopback (static members, {@code memberTimeout}
 * 3 s); nodes are numbered from 0, the node on {@code listen.port}. {@code HARNESS READY} waits until
 * every node sees all of them.
 */
public final class Harness {
  private Harness() {
  }

  public static void main(String[] args) throws Exception {
    JsonObject config = new JsonObject(args[0]);
    Map<String, AutoCloseable> upstreams = new LinkedHashMap<>();
    Map<String, StubMcpServer> stubs = new LinkedHashMap<>();
    JsonObject entries = config.getJsonObject("upstreams");
    for (String name : entries.fieldNames()) {
      String url = switch (entries.getString(name)) {
        case "stub" -> {
          StubMcpServer stub = StubMcpServer.start(StubMcpServer.Spec.basic().named(name)).withoutRecording();
          stubs.put(name, stub);
          upstreams.put(name, stub);
          yield stub.url();
        }
        case "sdk" -> {
          SdkHttpServer sdk = SdkHttpServer.start(name);
          upstreams.put(name, sdk);
          yield sdk.url();
        }
        default -> throw new IllegalArgumentException("unknown upstream kind for " + name);
      };
      entries.put(name, new JsonObject().put("transport", "streamable-http").put("url", url));
    }
    int port = config.getJsonObject("listen").getInteger("port");
    JsonArray clusterPorts = (JsonArray) config.remove("clusterPorts");
    List<Integer> ports = new ArrayList<>(List.of(port));
    if (clusterPorts != null) {
      clusterPorts.forEach(p -> ports.add((Integer) p));
    }
    String[] flags = System.getProperty("harness.gatewayFlags",
        ports.size() > 1 ? "-Xms256m -Xmx256m" : "-Xms512m -Xmx512m").split(" ");
    List<GatewayProcess> gateways = new ArrayList<>();
    try {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < ports.size(); i++) {
        members.add(GatewayProcess.freePort());
      }
      for (int i = 0; i < ports.size(); i++) {
        JsonObject node = config.copy();
        node.getJsonObject("listen").put("port", ports.get(i));
        if (ports.size() > 1) {
          node.put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", members.get(i))
              .put("members", new JsonArray(members.stream().map(m -> "127.0.0.1:" + m).toList()))
              .put("memberTimeout", "3s"));
        }
        gateways.add(GatewayProcess.start(ports.get(i), p -> node.encode(), flags));
      }
      if (ports.size() > 1) {
        for (GatewayProcess gateway : gateways) {
          ClusterBench.awaitMembers(gateway.url().replace("/mcp", "/readyz"), ports.size());
        }
      }
      reply("READY " + gateways.get(0).pid());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] command = line.trim().split(" ");
        switch (command[0]) {
          case "stop" -> upstreams.remove(command[1]).close();
          case "fail" -> stubs.get(command[1]).failing(true);
          case "kill" -> gateways.get(Integer.parseInt(command[1])).kill();
          default -> throw new IllegalArgumentException("unknown command: " + line);
        }
        reply("DONE " + line.trim());
      }
    } finally {
      for (GatewayProcess gateway : gateways) {
        gateway.close();
      }
      for (AutoCloseable upstream : upstreams.values()) {
        upstream.close();
      }
    }
    System.exit(0);
  }

  private static void reply(String line) {
    // stdout is this process's answer channel to the load generator; logging goes to stderr
    System.out.println("HARNESS " + line);
    System.out.flush();
  }
}
