package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Multi round-trip requests bridged between the protocol generations (basic/patterns/mrtr), with the
 * official TypeScript SDKs on both sides: a 2026-07-28 client (SDK v2) answers server-everything's
 * (2025) elicitation and sampling through input-required rounds; a 2025-11-25 client (SDK v1) answers
 * a 2026-07-28 server's (SDK v2) input-required results as server-to-client requests.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MrtrInteropIT {
  private static Node.HttpServer modern;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    Node.requireInstalled();
    modern = Node.HttpServer.mrtr();
    gateway = Gateway.start(new JsonObject()
        .put("everything", new JsonObject().put("transport", "stdio")
            .put("command", new JsonArray(Node.everythingStdio())))
        .put("modern", Gateway.http(modern.url())));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (modern != null) {
      modern.close();
    }
  }

  @Test
  void modernClientAnswersALegacyUpstreamsElicitationAndSamplingThroughRounds() {
    JsonObject out = Node.run("mrtr-client.mjs", gateway.url("/mcp"), "everything_trigger-elicitation-request",
        "everything_trigger-sampling-request");
    assertThat(out.getString("protocolVersion")).isEqualTo("2026-07-28");
    // the capabilities declared upstream for a stateless tenant make server-everything list them
    assertThat(out.getJsonArray("tools").getList()).contains("everything_trigger-elicitation-request",
        "everything_trigger-sampling-request");
    assertThat(out.getJsonObject("calls").getInteger("elicitation")).isEqualTo(1);
    assertThat(out.getJsonObject("calls").getInteger("sampling")).isEqualTo(1);
    assertThat(out.getString("elicited")).contains("Ada Lovelace");
    assertThat(out.getString("sampled")).contains("sampled-through-mrtr");
  }

  @Test
  void aRoundAnswersInputRequiredAndItsRetryFinishesTheCall() {
    try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      JsonObject caps = new JsonObject().put("elicitation", new JsonObject());
      JsonObject first = mcp.post(RawMcp.statelessHeaders("tools/call", "everything_trigger-elicitation-request"),
          withCaps(RawMcp.statelessRequest(1, "tools/call", new JsonObject()
              .put("name", "everything_trigger-elicitation-request").put("arguments", new JsonObject())), caps))
          .result();
      assertThat(first.getString("resultType")).isEqualTo("input_required");
      JsonObject inputRequests = first.getJsonObject("inputRequests");
      assertThat(inputRequests.size()).isEqualTo(1);
      String key = inputRequests.fieldNames().iterator().next();
      assertThat(inputRequests.getJsonObject(key).getString("method")).isEqualTo("elicitation/create");
      String state = first.getString("requestState");

      // another tenant's retry with the same state is refused, and so is a forged one
      RawMcp.Reply foreign = mcp.post(RawMcp.statelessHeaders("tools/call", "everything_trigger-elicitation-request")
          .add("X-Tenant-Id", "someone-else"), retry(2, state, key, caps));
      assertThat(foreign.status()).isEqualTo(400);
      assertThat(foreign.error().getInteger("code")).isEqualTo(-32602);
      String forged = state.substring(0, state.lastIndexOf('|') + 1) + "AAAA";
      RawMcp.Reply refused = mcp.post(RawMcp.statelessHeaders("tools/call", "everything_trigger-elicitation-request"),
          retry(3, forged, key, caps));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.error().getInteger("code")).isEqualTo(-32602);
      assertThat(refused.error().getString("message")).contains("requestState");

      JsonObject done = mcp.post(RawMcp.statelessHeaders("tools/call", "everything_trigger-elicitation-request"),
          retry(4, state, key, caps)).result();
      assertThat(done.getString("resultType")).isEqualTo("complete");
      assertThat(done.encode()).contains("Raw");
      // the round is over: its state is spent
      RawMcp.Reply again = mcp.post(RawMcp.statelessHeaders("tools/call", "everything_trigger-elicitation-request"),
          retry(5, state, key, caps));
      assertThat(again.error().getInteger("code")).isEqualTo(-32602);
    }
  }

  @Test
  void aClientWithoutTheCapabilityIsNotAsked() {
    try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      JsonObject result = mcp.stateless(1, "tools/call", new JsonObject()
          .put("name", "everything_trigger-sampling-request").put("arguments", new JsonObject().put("prompt", "x")))
          .result();
      // the gateway refuses the upstream's requests (MissingRequiredClientCapability), and the upstream
      // decides what that means for the call: server-everything turns it into a tool error
      assertThat(result.getString("resultType")).isEqualTo("complete");
      assertThat(result.getBoolean("isError", false)).isTrue();
    }
  }

  @Test
  void legacyClientAnswersAModernUpstreamsInputRequests() {
    JsonObject out = Node.run("mrtr-legacy-client.mjs", gateway.url("/mcp"), "modern_ask-name", "modern_ask-model");
    assertThat(out.getJsonObject("calls").getInteger("elicitation")).isEqualTo(1);
    assertThat(out.getJsonObject("calls").getInteger("sampling")).isEqualTo(1);
    assertThat(out.getString("elicited")).isEqualTo("Hello, Grace");
    assertThat(out.getString("sampled")).isEqualTo("Model said: legacy-sampled");
  }

  @Test
  void legacyClientWithoutTheCapabilityGetsAnErrorNamingIt() {
    try (RawMcp mcp = new RawMcp(gateway.url("/servers/modern/mcp"))) {
      String session = mcp.initialize("2025-11-25", new JsonObject());
      JsonObject error = mcp.post(RawMcp.sessionHeaders(session, "2025-11-25"), new JsonObject().put("jsonrpc", "2.0")
          .put("id", 7).put("method", "tools/call").put("params", new JsonObject().put("name", "ask-name")))
          .error();
      // the SDK v2 server checks the declared capabilities itself before it answers input-required;
      // the gateway's own check covers upstreams that do not, with the same MissingRequiredClientCapability
      assertThat(error.getInteger("code")).isEqualTo(-32021);
      assertThat(error.getJsonObject("data").getJsonObject("requiredCapabilities").containsKey("elicitation")).isTrue();
    }
  }

  @Test
  void modernClientGetsAModernUpstreamsInputRequiredUntouched() {
    try (RawMcp mcp = new RawMcp(gateway.url("/servers/modern/mcp"))) {
      JsonObject caps = new JsonObject().put("elicitation", new JsonObject());
      JsonObject first = mcp.post(RawMcp.statelessHeaders("tools/call", "ask-name"), withCaps(RawMcp.statelessRequest(1,
          "tools/call", new JsonObject().put("name", "ask-name")), caps)).result();
      assertThat(first.getString("resultType")).isEqualTo("input_required");
      assertThat(first.getString("requestState")).isEqualTo("asked-name");
      JsonObject retry = withCaps(RawMcp.statelessRequest(2, "tools/call", new JsonObject().put("name", "ask-name")
          .put("requestState", "asked-name").put("inputResponses", new JsonObject().put("name", new JsonObject()
              .put("action", "accept").put("content", new JsonObject().put("name", "Linus"))))), caps);
      JsonObject done = mcp.post(RawMcp.statelessHeaders("tools/call", "ask-name"), retry).result();
      assertThat(done.encode()).contains("Hello, Linus");
    }
  }

  private static JsonObject withCaps(JsonObject request, JsonObject caps) {
    request.getJsonObject("params").getJsonObject("_meta").put("io.modelcontextprotocol/clientCapabilities", caps);
    return request;
  }

  private static JsonObject retry(int id, String state, String key, JsonObject caps) {
    return withCaps(RawMcp.statelessRequest(id, "tools/call", new JsonObject()
        .put("name", "everything_trigger-elicitation-request").put("arguments", new JsonObject())
        .put("requestState", state).put("inputResponses", new JsonObject().put(key, new JsonObject()
            .put("action", "accept").put("content", new JsonObject().put("name", "Raw"))))), caps);
  }
}
