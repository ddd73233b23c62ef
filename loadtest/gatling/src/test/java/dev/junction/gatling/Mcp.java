package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;

/**
 * The MCP messages of the simulations, on the wire as README.md shows them. Session-based clients
 * keep their session id in the Gatling session ({@code #{sid}}); every client names its tenant in
 * {@code x-tenant-id} ({@code #{tenant}}), one of the identity headers that form the tenant key.
 */
final class Mcp {
  /** The current, stateless revision. */
  static final String STATELESS = "2026-07-28";
  private static final String META = "\"_meta\": {\"io.modelcontextprotocol/protocolVersion\": \"" + STATELESS
      + "\", \"io.modelcontextprotocol/clientCapabilities\": {}}";

  private Mcp() {
  }

  /** Loopback, JSON in, JSON or SSE out; no warm-up request to a host on the internet. */
  static HttpProtocolBuilder protocol(Target target) {
    return http.baseUrl(target.baseUrl()).disableWarmUp()
        .contentTypeHeader("application/json").acceptHeader("application/json, text/event-stream");
  }

  /** A whole number from {@code -Dname=value}. */
  static int setting(String name, int otherwise) {
    return Integer.getInteger(name, otherwise);
  }

  /** {@code -Dload.duration}: how long the load runs, in seconds (default 60). */
  static Duration duration() {
    return Duration.ofSeconds(setting("load.duration", 60));
  }

  /** {@code -Dload.paceMs}: the time between one client's calls (default 100 ms). */
  static Duration callPace() {
    return Duration.ofMillis(setting("load.paceMs", 100));
  }

  /** Makes each virtual user a client of one of {@code n} tenants, {@code <prefix>-<i>}. */
  static ChainBuilder tenantOf(String prefix, int n) {
    return exec(s -> s.set("tenant", prefix + "-" + s.userId() % n));
  }

  /** Session-based tools/calls, one a {@link #callPace()}, for the {@link #duration()}. */
  static ChainBuilder callLoop(String version, String tool, String arguments) {
    return exec(during(duration()).on(pace(callPace()).exec(call("tools/call " + version, version, tool, arguments))));
  }

  /** Stateless tools/calls, one a {@link #callPace()}, for the {@link #duration()}. */
  static ChainBuilder statelessCallLoop(String tool, String arguments) {
    return exec(during(duration()).on(pace(callPace()).exec(statelessCall("tools/call " + STATELESS, tool, arguments))));
  }

  /**
   * initialize and notifications/initialized of a session-based client; saves {@code sid}. The
   * gateway must agree on the client's revision.
   */
  static ChainBuilder open(String version) {
    String init = "{\"jsonrpc\": \"2.0\", \"id\": 0, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \""
        + version + "\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"gatling\", \"version\": \"1\"}}}";
    return exec(http("initialize " + version).post("/mcp").header("x-tenant-id", "#{tenant}")
        .body(StringBody(init))
        .check(status().is(200), header("Mcp-Session-Id").saveAs("sid"),
            jsonPath("$.result.protocolVersion").is(version)))
        .exec(session(http("initialized " + version).post("/mcp"), version)
            .body(StringBody("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}"))
            .check(status().is(202)));
  }

  /** The session headers; 2025-03-26 predates {@code MCP-Protocol-Version}, so its clients leave it out. */
  static HttpRequestActionBuilder session(HttpRequestActionBuilder request, String version) {
    HttpRequestActionBuilder r = request.header("x-tenant-id", "#{tenant}").header("Mcp-Session-Id", "#{sid}");
    return "2025-03-26".equals(version) ? r : r.header("MCP-Protocol-Version", version);
  }

  /** A session-based tools/call; {@code arguments} is a JSON object. Fails on a JSON-RPC error. */
  static HttpRequestActionBuilder call(String name, String version, String tool, String arguments) {
    return session(http(name).post("/mcp"), version)
        .body(StringBody("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \""
            + tool + "\", \"arguments\": " + arguments + "}}"))
        .check(status().is(200), jsonPath("$.result").exists(), jsonPath("$.error").notExists());
  }

  /** A session-based tools/list. */
  static HttpRequestActionBuilder list(String version) {
    return session(http("tools/list " + version).post("/mcp"), version)
        .body(StringBody("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}"))
        .check(status().is(200), jsonPath("$.result.tools[0].name").exists());
  }

  /** Ends a session. */
  static HttpRequestActionBuilder close(String version) {
    return session(http("DELETE " + version).delete("/mcp"), version).check(status().in(200, 202, 204));
  }

  /**
   * A stateless (2026-07-28) tools/call: no session; the revision and capabilities travel in
   * {@code _meta}, the method and tool name in headers too.
   */
  static HttpRequestActionBuilder statelessCall(String name, String tool, String arguments) {
    return stateless(http(name).post("/mcp"), "tools/call").header("Mcp-Name", tool)
        .body(StringBody("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\": \""
            + tool + "\", \"arguments\": " + arguments + ", " + META + "}}"))
        .check(status().is(200), jsonPath("$.result").exists(), jsonPath("$.error").notExists());
  }

  /** A stateless tools/list. */
  static HttpRequestActionBuilder statelessList() {
    return stateless(http("tools/list " + STATELESS).post("/mcp"), "tools/list")
        .body(StringBody("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\", \"params\": {" + META + "}}"))
        .check(status().is(200), jsonPath("$.result.tools[0].name").exists());
  }

  private static HttpRequestActionBuilder stateless(HttpRequestActionBuilder request, String method) {
    return request.header("x-tenant-id", "#{tenant}").header("MCP-Protocol-Version", STATELESS)
        .header("Mcp-Method", method);
  }
}
