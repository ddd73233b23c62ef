package dev.junction.bench;

import dev.junction.Junction;
import dev.junction.config.ConfigLoader;
import dev.junction.testkit.SdkHttpServer;
import dev.junction.testkit.SdkStdioServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Pool hit vs pool miss vs no pool, through the gateway. Hit: one tenant reusing its pooled
 * session. Miss: a new tenant per call, so every call opens a session. No pool: a session TTL of
 * 1 ms, so every call opens a session and the previous one is closed, as a gateway without a pool
 * would. The three gateways run side by side and the modes take turns in rounds, so JIT warm-up
 * and machine noise fall on all of them alike.
 */
final class PoolBench {
  private static final int ROUND = 50;

  private PoolBench() {
  }

  /** One gateway in one mode, with the histogram of its calls. */
  private record Mode(String name, Junction gateway, IntFunction<Future<?>> call, Histogram latency) {
  }

  static String run(int calls) throws Exception {
    StringBuilder out = new StringBuilder("## Pool: hit vs miss vs no pool\n\n"
        + "Command (from the project root): `./mvnw -q install -DskipTests && ./mvnw -q -f loadtest/bench/pom.xml "
        + "compile exec:exec -Dbench.args=\"pool " + calls + "\"`\n\n" + Report.machine() + "\n"
        + "Client: stateless tools/call (`echo`) through the gateway, one call at a time; the three modes take turns "
        + "in rounds of " + ROUND + " calls after a warm-up. Latency in microseconds from send to full response. "
        + "Hit: one tenant reusing its pooled session. Miss: a new tenant per call, so every call opens a session "
        + "(initialize, initialized, then the call). No pool: a session TTL of 1 ms, so every call opens a session "
        + "and the previous one is closed, as a gateway without a pool would.\n");
    try (Caller caller = new Caller()) {
      try (StubMcpServer stub = StubMcpServer.start().withoutRecording()) {
        JsonObject upstream = new JsonObject().put("transport", "streamable-http").put("url", stub.url());
        out.append(table("Fast upstream: the test kit's Vert.x stub over Streamable HTTP (JSON answers)",
            upstream, "stub", caller, calls));
      }
      try (SdkHttpServer sdk = SdkHttpServer.start("bench")) {
        JsonObject upstream = new JsonObject().put("transport", "streamable-http").put("url", sdk.url());
        out.append(table("MCP Java SDK upstream over Streamable HTTP (servlet transport on Tomcat, SSE answers)",
            upstream, "sdk", caller, calls));
      }
      JsonObject stdio = new JsonObject().put("transport", "stdio")
          .put("command", new JsonArray(SdkStdioServer.command("bench")));
      out.append(table("MCP Java SDK upstream over stdio (a new session starts a JVM)", stdio, "stdio", caller,
          Math.max(20, calls / 100)));
    }
    return out.toString();
  }

  private static String table(String title, JsonObject upstream, String name, Caller caller, int calls) throws Exception {
    List<Mode> modes = List.of(
        mode("pool hit", upstream, name, "", false, caller),
        mode("pool miss (new session)", upstream, name, "", true, caller),
        mode("no pool (session per call)", upstream, name, ", \"sessionTtl\": \"1ms\"", false, caller));
    try {
      int round = Math.min(ROUND, calls);
      int warmup = Math.max(round, calls / 2);
      for (int done = 0; done < warmup; done += round) {
        for (Mode m : modes) {
          caller.sequential(round, m.call());
        }
      }
      for (int done = 0; done < calls; done += round) {
        for (Mode m : modes) {
          m.latency().add(caller.sequential(round, m.call()));
        }
      }
    } finally {
      for (Mode m : modes) {
        m.gateway().close().await();
      }
    }
    Histogram hit = modes.get(0).latency();
    double missRatio = (double) modes.get(1).latency().getValueAtPercentile(50) / hit.getValueAtPercentile(50);
    double noPoolRatio = (double) modes.get(2).latency().getValueAtPercentile(50) / hit.getValueAtPercentile(50);
    StringBuilder t = new StringBuilder("\n### " + title + "\n\n" + calls + " calls per mode.\n\n"
        + "| mode | p50 µs | p90 µs | p99 µs | mean µs |\n|---|---:|---:|---:|---:|\n");
    modes.forEach(m -> t.append(row(m.name(), m.latency())));
    t.append(String.format("%n- miss / hit at p50: **%.2f×** (target: at most 4× with a fast upstream)%n", missRatio));
    t.append(String.format("- no pool / hit at p50: **%.2f×** (target: at least 10×)%n", noPoolRatio));
    return t.toString();
  }

  private static Mode mode(String label, JsonObject upstream, String name, String poolExtra, boolean newTenantPerCall,
      Caller caller) {
    String yaml = new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("auth", new JsonObject().put("unauthenticated", "allow"))
        .put("pool", new JsonObject("{\"idleTimeout\": \"10m\"" + poolExtra + "}"))
        .put("upstreams", new JsonObject().put(name, upstream)).encode();
    Junction gateway = Junction.start(new ConfigLoader().parse(yaml)).await();
    String url = "http://127.0.0.1:" + gateway.port() + "/mcp";
    JsonObject args = new JsonObject().put("text", "hello");
    int[] tenant = {0};
    IntFunction<Future<?>> call = i -> caller.call(url, name + "_echo", args, MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer " + (newTenantPerCall ? "t-" + tenant[0]++ : "the-tenant")));
    return new Mode(label, gateway, call, new Histogram(60_000_000L, 3));
  }

  private static String row(String name, Histogram h) {
    return "| " + name + " | " + Report.micros(h, 50) + " | " + Report.micros(h, 90) + " | " + Report.micros(h, 99)
        + " | " + String.format("%,.0f", h.getMean()) + " |\n";
  }
}
