package dev.junction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ShutdownOptions;
import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkHttpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * {@code subscriptions/listen} for a 2026-07-28 client on the aggregate endpoint
 * (basic/patterns/subscriptions): one stream carries the acknowledgement, then tools/list_changed
 * and resources/updated from a 2025 upstream (the Java SDK's server: its session's GET stream and a
 * {@code resources/subscribe} made by the gateway) and from a 2026-07-28 upstream (the TypeScript SDK
 * v2's server, which gets a listen of its own), each with the listen request's id in {@code _meta}.
 * When the gateway drains, an open listen stream ends with its result as the listeners close.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubscriptionsListenIT {
  private static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

  @Test
  void oneStreamCarriesChangesOfALegacyAndAModernUpstream() throws Exception {
    Node.requireInstalled();
    Vertx vertx = Vertx.vertx();
    try (SdkHttpServer alpha = SdkHttpServer.start("alpha");
         Node.HttpServer modern = Node.HttpServer.mrtr();
         Gateway gateway = Gateway.start(new JsonObject().put("alpha", Gateway.http(alpha.url()))
             .put("modern", Gateway.http(modern.url())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      // the tenant's scope learns which upstream lists which resource
      JsonArray resources = mcp.stateless(1, "resources/list", new JsonObject()).result().getJsonArray("resources");
      List<String> uris = resources.stream().map(r -> ((JsonObject) r).getString("uri")).toList();
      String legacyUri = alpha.features().helloUri();
      assertThat(uris).contains(legacyUri, "mrtr://thing");

      List<JsonObject> events = new CopyOnWriteArrayList<>();
      HttpClient client = vertx.createHttpClient();
      JsonObject listen = RawMcp.statelessRequest(7, "subscriptions/listen", new JsonObject()
          .put("notifications", new JsonObject().put("toolsListChanged", true)
              .put("resourceSubscriptions", new JsonArray().add(legacyUri).add("mrtr://thing"))));
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateway.url("/mcp"));
      RawMcp.statelessHeaders("subscriptions/listen", null).forEach(h -> options.addHeader(h.getKey(), h.getValue()));
      // the handler goes on in the response's callback, before any of its body arrives
      HttpClientResponse response = client.request(options).compose(req -> req.send(listen.encode()))
          .onSuccess(resp -> resp.handler(RecordParser.newDelimited("\n", line -> {
            String text = line.toString().trim();
            if (text.startsWith("data:")) {
              events.add(new JsonObject(text.substring(5).trim()));
            }
          }))).await();
      assertThat(response.statusCode()).isEqualTo(200);
      Await.until(() -> events.stream().anyMatch(e -> "notifications/subscriptions/acknowledged"
          .equals(e.getString("method"))), 10, "the acknowledgement");
      JsonObject ack = events.get(0);
      assertThat(ack.getString("method")).isEqualTo("notifications/subscriptions/acknowledged");
      assertThat(ack.getJsonObject("params").getJsonObject("_meta").getValue(SUBSCRIPTION_ID)).isEqualTo(7);
      // the 2025 upstream: a new tool, and an update of the subscribed resource
      var extra = AsyncToolSpecification.builder()
          .tool(Tool.builder().name("extra").description("added later").inputSchema(Map.of("type", "object")).build())
          .callHandler((ex, req) -> Mono.just(CallToolResult.builder().addTextContent("extra").build()))
          .build();
      alpha.server().addTool(extra).block();
      Await.until(() -> count(events, "notifications/tools/list_changed") >= 1, 10, "alpha's list_changed");
      // the gateway's resources/subscribe may still be on its way: announce until it is heard
      Await.until(() -> {
        alpha.server().notifyResourcesUpdated(new ResourcesUpdatedNotification(legacyUri)).block();
        return updated(events, legacyUri);
      }, 10, "alpha's resources/updated");

      // the 2026-07-28 upstream: its tool announces both on its own listen stream
      int before = count(events, "notifications/tools/list_changed");
      mcp.stateless(2, "tools/call", new JsonObject().put("name", "modern_poke"));
      Await.until(() -> updated(events, "mrtr://thing")
          && count(events, "notifications/tools/list_changed") > before, 10, "modern's notifications",
          events::toString);
      assertThat(events).allSatisfy(e -> assertThat(e.getJsonObject("params").getJsonObject("_meta")
          .getValue(SUBSCRIPTION_ID)).isEqualTo(7));
      assertThat(count(events, "notifications/subscriptions/acknowledged")).isEqualTo(1);
      client.close().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aDrainEndsAnOpenListenStreamWithItsResult() {
    Vertx vertx = Vertx.vertx();
    try (SdkHttpServer alpha = SdkHttpServer.start("alpha");
         Gateway gateway = Gateway.start(new JsonObject().put("alpha", Gateway.http(alpha.url())))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      Promise<Void> ended = Promise.promise();
      JsonObject listen = RawMcp.statelessRequest(9, "subscriptions/listen", new JsonObject()
          .put("notifications", new JsonObject().put("toolsListChanged", true)));
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateway.url("/mcp"));
      RawMcp.statelessHeaders("subscriptions/listen", null).forEach(h -> options.addHeader(h.getKey(), h.getValue()));
      vertx.createHttpClient().request(options).compose(req -> req.send(listen.encode()))
          .onSuccess(resp -> resp.endHandler(v -> ended.tryComplete()).handler(RecordParser.newDelimited("\n",
              line -> {
                String text = line.toString().trim();
                if (text.startsWith("data:")) {
                  events.add(new JsonObject(text.substring(5).trim()));
                }
              })))
          .onFailure(ended::tryFail);
      Await.until(() -> count(events, "notifications/subscriptions/acknowledged") == 1, 10, "the acknowledgement");

      // no drain delay; in-flight streams could take 60 s, but the listen stream ends at once
      long start = System.nanoTime();
      Future<Void> drained = gateway.junction().drain(new ShutdownOptions(0, 60_000));
      ended.future().timeout(10, TimeUnit.SECONDS).await();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
      JsonObject last = events.get(events.size() - 1);
      assertThat(last.getValue("id")).as(events.toString()).isEqualTo(9);
      assertThat(last.getJsonObject("result").getJsonObject("_meta").getValue(SUBSCRIPTION_ID)).isEqualTo(9);
      drained.timeout(30, TimeUnit.SECONDS).await();
    } finally {
      vertx.close().await();
    }
  }

  private static boolean updated(List<JsonObject> events, String uri) {
    return events.stream().anyMatch(e -> "notifications/resources/updated".equals(e.getString("method"))
        && uri.equals(e.getJsonObject("params").getString("uri")));
  }

  private static int count(List<JsonObject> events, String method) {
    return (int) events.stream().filter(e -> method.equals(e.getString("method"))).count();
  }
}
