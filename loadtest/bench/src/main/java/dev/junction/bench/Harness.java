package dev.junction.bench;

import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
 * every tools/call with HTTP 500. Each command is answered {@code HARNESS DONE <command>}. At the end
 * of stdin (the load generator ended or died) everything is closed.
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
    String[] flags = System.getProperty("harness.gatewayFlags", "-Xms512m -Xmx512m").split(" ");
    try (GatewayProcess gateway = GatewayProcess.start(port, p -> config.encode(), flags)) {
      reply("READY " + gateway.pid());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] command = line.trim().split(" ");
        switch (command[0]) {
          case "stop" -> upstreams.remove(command[1]).close();
          case "fail" -> stubs.get(command[1]).failing(true);
          default -> throw new IllegalArgumentException("unknown command: " + line);
        }
        reply("DONE " + line.trim());
      }
    } finally {
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
