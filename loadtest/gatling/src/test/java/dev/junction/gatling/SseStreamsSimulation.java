package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * Many concurrent SSE streams: session-based clients that each hold the GET /mcp stream open for
 * most of the run (and still call a tool through their session while it is open), next to clients
 * whose tools/call carries a progress token and is therefore answered as an SSE stream of progress
 * notifications and then the result (the MCP Java SDK upstream sends them). Settings:
 * {@code -Dload.duration} (s), {@code -Dload.streams} (held streams, default 1000),
 * {@code -Dload.progressUsers} (default 20).
 */
public class SseStreamsSimulation extends LoadSimulation {
  private static final String VERSION = "2025-11-25";
  private static final Duration RAMP = Duration.ofSeconds(20);

  public SseStreamsSimulation() {
    super("\"sdk\": \"sdk\"", "\"pool\": {\"maxInFlightPerTenant\": 1000}");
    Duration duration = Mcp.duration();
    Duration hold = duration.minus(RAMP).minusSeconds(5);
    ScenarioBuilder holders = scenario("GET stream holders")
        .exec(s -> s.set("tenant", "sse-" + s.userId() % 16))
        .exec(Mcp.open(VERSION))
        .exec(sse("GET /mcp (SSE)").sseName("stream").get("/mcp")
            .header("x-tenant-id", "#{tenant}").header("Mcp-Session-Id", "#{sid}")
            .header("MCP-Protocol-Version", VERSION))
        .pause(hold.isNegative() ? Duration.ofSeconds(1) : hold)
        .exec(Mcp.call("tools/call, stream open", VERSION, "sdk_echo", "{\"text\": \"still here\"}"))
        .exec(sse("close GET stream").sseName("stream").close())
        .exec(Mcp.close(VERSION));
    ScenarioBuilder progress = scenario("tools/call answered as SSE")
        .exec(s -> s.set("tenant", "progress-" + s.userId()))
        .exec(Mcp.open(VERSION))
        .exec(during(duration.minusSeconds(5)).on(pace(Duration.ofMillis(250)).exec(progressCall())))
        .exec(Mcp.close(VERSION));
    setUp(
        holders.injectOpen(rampUsers(Mcp.setting("load.streams", 1000)).during(RAMP)),
        progress.injectOpen(rampUsers(Mcp.setting("load.progressUsers", 20)).during(Duration.ofSeconds(5))))
        .protocols(Mcp.protocol(target))
        .assertions(healthy(2000));
  }

  /** tools/call with a progress token: three progress events 20 ms apart, then the result, on one SSE stream. */
  private static ChainBuilder progressCall() {
    String body = "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"tools/call\", \"params\": {\"name\": \"sdk_progress\","
        + " \"arguments\": {\"steps\": 3, \"ms\": 20}, \"_meta\": {\"progressToken\": \"p-#{sid}\"}}}";
    return exec(sse("tools/call with progress (SSE)").sseName("call").post("/mcp")
            .header("x-tenant-id", "#{tenant}").header("Mcp-Session-Id", "#{sid}")
            .header("MCP-Protocol-Version", VERSION).body(StringBody(body))
            .await(Duration.ofSeconds(10)).on(
                sse.checkMessage("progress event").matching(substring("notifications/progress")),
                sse.checkMessage("result event").matching(substring("result")).check(substring("done"))))
        .exec(sse("close call stream").sseName("call").close());
  }
}
