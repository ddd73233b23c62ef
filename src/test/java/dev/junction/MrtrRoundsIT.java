package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkHttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input-required rounds (basic/patterns/mrtr) between a 2026-07-28 client and a 2025 upstream (the
 * Java SDK server over Streamable HTTP, requestTimeout 2 s) over time: a client that answers a round
 * after longer than the upstream's requestTimeout still gets the call's result, and what the call
 * streams after the client's answer (progress) reaches the retry, with the retry's progress token;
 * closing the retry's stream cancels the upstream call (basic/patterns/cancellation). The upstream's
 * elicitation for a client that did not declare it is refused with MissingRequiredClientCapability
 * (-32021), which the Java SDK server passes on to the client.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MrtrRoundsIT {
  private static final String TOOL = "sdk_elicit";
  private static final JsonObject CAPS = new JsonObject().put("elicitation", new JsonObject());
  private static SdkHttpServer upstream;
  private static Gateway gateway;
  private static RawMcp metrics;

  @BeforeAll
  static void start() {
    upstream = SdkHttpServer.start("sdk");
    gateway = Gateway.start(new JsonObject().put("sdk", Gateway.http(upstream.url()).put("requestTimeout", "2s")));
    metrics = new RawMcp(gateway.url("/metrics"));
  }

  @AfterAll
  static void stop() {
    if (metrics != null) {
      metrics.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aClientThatAnswersAfterTheUpstreamsRequestTimeoutStillGetsTheResult() {
    try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      JsonObject first = mcp.post(RawMcp.statelessHeaders("tools/call", TOOL), call(1, null, new JsonObject()))
          .result();
      assertThat(first.getString("resultType")).isEqualTo("input_required");
      String key = first.getJsonObject("inputRequests").fieldNames().iterator().next();
      // the client takes longer than the upstream's requestTimeout (2 s) to answer
      gateway.junction().vertx().timer(3, TimeUnit.SECONDS).await();
      RawMcp.Reply done = mcp.post(RawMcp.statelessHeaders("tools/call", TOOL),
          retry(call(2, null, new JsonObject()), first.getString("requestState"), key));
      assertThat(done.last().containsKey("error")).as(done.body()).isFalse();
      assertThat(done.result().encode()).contains("hello Raw");
    }
  }

  @Test
  void progressAfterTheAnswerGoesToTheRetryWithItsToken() {
    try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      JsonObject steps = new JsonObject().put("steps", 2);
      RawMcp.Reply first = mcp.post(RawMcp.statelessHeaders("tools/call", TOOL), call(1, "first-token", steps));
      assertThat(first.result().getString("resultType")).isEqualTo("input_required");
      String key = first.result().getJsonObject("inputRequests").fieldNames().iterator().next();
      RawMcp.Reply done = mcp.post(RawMcp.statelessHeaders("tools/call", TOOL),
          retry(call(2, "retry-token", steps), first.result().getString("requestState"), key));
      List<JsonObject> progress = done.messages().stream()
          .filter(m -> "notifications/progress".equals(m.getString("method"))).toList();
      assertThat(progress).as(done.body()).hasSize(2);
      assertThat(progress).allSatisfy(p ->
          assertThat(p.getJsonObject("params").getValue("progressToken")).isEqualTo("retry-token"));
      assertThat(done.result().encode()).contains("hello Raw");
    }
  }

  @Test
  void closingTheRetrysStreamCancelsTheUpstreamCall() {
    Vertx vertx = Vertx.vertx();
    try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      // after the answer, 100 progress notifications 100 ms apart: the call would last 10 s
      JsonObject slow = new JsonObject().put("steps", 100).put("ms", 100);
      JsonObject first = mcp.post(RawMcp.statelessHeaders("tools/call", TOOL), call(1, "first-token", slow)).result();
      String key = first.getJsonObject("inputRequests").fieldNames().iterator().next();
      double cancelled = cancelledUpstreamRequests();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateway.url("/mcp"));
      RawMcp.statelessHeaders("tools/call", TOOL).forEach(h -> options.addHeader(h.getKey(), h.getValue()));
      String retry = retry(call(2, "retry-token", slow), first.getString("requestState"), key).encode();
      HttpClient client = vertx.createHttpClient();
      // the client closes the retry's stream once the call's progress reaches it
      client.request(options).compose(req -> req.send(retry)).onSuccess(resp -> resp.handler(
          RecordParser.newDelimited("\n", line -> {
            if (line.toString().contains("notifications/progress")) {
              resp.request().connection().close();
            }
          }))).await();
      Await.until(() -> cancelledUpstreamRequests() > cancelled, 8, "the upstream call to be cancelled");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aClientThatDidNotDeclareTheCapabilityGetsMissingRequiredClientCapability() {
    try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      // the gateway declared elicitation upstream, but this client's _meta does not: the upstream's
      // request is refused with MissingRequiredClientCapabilityError, which this upstream passes on
      RawMcp.Reply refused = mcp.stateless(1, "tools/call", new JsonObject().put("name", TOOL)
          .put("arguments", new JsonObject()));
      // 2026-07-28 basic, "_meta": -32021 with data.requiredCapabilities, HTTP 400
      assertThat(refused.status()).as(refused.body()).isEqualTo(400);
      JsonObject error = refused.error();
      assertThat(error.getInteger("code")).isEqualTo(-32021);
      assertThat(error.getJsonObject("data").getJsonObject("requiredCapabilities"))
          .isEqualTo(new JsonObject().put("elicitation", new JsonObject()));
      assertThat(refused.last().getValue("id")).isEqualTo(1);
    }
  }

  /** Upstream requests of {@code sdk} that ended cancelled so far, from the gateway's metrics. */
  private static double cancelledUpstreamRequests() {
    return metrics.send(HttpMethod.GET, RawMcp.postHeaders(), null).body().lines()
        .filter(l -> l.startsWith("junction_upstream_errors_total{") && l.contains("kind=\"cancelled\"")
            && l.contains("upstream=\"sdk\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** A tools/call of the elicit tool by a client that declares elicitation, with a progress token or none. */
  private static JsonObject call(int id, String progressToken, JsonObject arguments) {
    JsonObject params = new JsonObject().put("name", TOOL).put("arguments", arguments);
    if (progressToken != null) {
      params.put("_meta", new JsonObject().put("progressToken", progressToken));
    }
    JsonObject request = RawMcp.statelessRequest(id, "tools/call", params);
    request.getJsonObject("params").getJsonObject("_meta").put("io.modelcontextprotocol/clientCapabilities", CAPS);
    return request;
  }

  private static JsonObject retry(JsonObject request, String state, String key) {
    request.getJsonObject("params").put("requestState", state).put("inputResponses", new JsonObject().put(key,
        new JsonObject().put("action", "accept").put("content", new JsonObject().put("name", "Raw"))));
    return request;
  }
}
