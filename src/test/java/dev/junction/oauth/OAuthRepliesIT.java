package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.bus.Addresses;
import dev.junction.bus.CredentialsReply;
import dev.junction.bus.CredentialsRequest;
import dev.junction.bus.Introspect;
import dev.junction.bus.IntrospectReply;
import dev.junction.bus.RefreshCredentials;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.Issuer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth verticle's typed replies when an authorization server cannot answer: a
 * {@link CredentialsReply} refusal, which the client reads as its upstream being unavailable, and
 * an {@link IntrospectReply} saying the introspection endpoint is unavailable, which the client
 * reads as 503 (not 401: it is not a "no").
 */
@ExtendWith({VertxExtension.class, LogWatch.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OAuthRepliesIT {
  private static final String RESOURCE = "https://junction.test";
  private static final String CLIENT_SECRET = "cs-" + "never-in-a-reply-or-a-log";

  /** An authorization server whose every endpoint answers 503. */
  private HttpServer down;

  @BeforeEach
  void down(Vertx vertx, VertxTestContext test) {
    vertx.createHttpServer().requestHandler(req -> req.response().setStatusCode(503).end()).listen(0)
        .onComplete(test.succeeding(server -> {
          down = server;
          test.completeNow();
        }));
  }

  @AfterEach
  void close(VertxTestContext test) {
    down.close().onComplete(test.succeedingThenComplete());
  }

  private String downUrl(String path) {
    return "http://127.0.0.1:" + down.actualPort() + path;
  }

  @Test
  void aTokenEndpointThatCannotAnswerIsARefusalTheClientSeesAsItsUpstreamUnavailable(VertxTestContext test)
      throws Throwable {
    JsonObject auth = new JsonObject().put("mode", "client-credentials").put("tokenUrl", downUrl("/token"))
        .put("clientId", "junction").put("clientSecret", CLIENT_SECRET);
    try (StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()).put("auth", auth)));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      RawMcp.Reply r = mcp.stateless(1, "tools/call", new JsonObject().put("name", "stub_echo")
          .put("arguments", new JsonObject()));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.error().getInteger("code")).isEqualTo(-32603);
      assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("stub");
      String message = r.error().getString("message");
      assertThat(message).startsWith("Upstream unavailable: ").doesNotContain(CLIENT_SECRET)
          .doesNotContain("Exception");
      assertThat(stub.count("tools/call")).isZero();

      EventBus bus = gateway.junction().vertx().eventBus();
      Checkpoint asked = test.checkpoint(2);
      bus.<CredentialsReply>request(Addresses.OAUTH_TOKEN, new CredentialsRequest("stub", "tenant", null))
          .onComplete(test.succeeding(m -> test.verify(() -> {
            assertRefused(m, message);
            asked.flag();
          })));
      bus.<CredentialsReply>request(Addresses.OAUTH_REFRESH, new RefreshCredentials("stub", "tenant", null, null, null))
          .onComplete(test.succeeding(m -> test.verify(() -> {
            assertRefused(m, message);
            asked.flag();
          })));
      assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
      if (test.failed()) {
        throw test.causeOfFailure();
      }
      for (String line : LogWatch.lines()) {
        assertThat(line).doesNotContain(CLIENT_SECRET);
      }
    }
  }

  /** A refusal, not a failed message, in the very words the client read after "Upstream unavailable: ". */
  private static void assertRefused(Message<CredentialsReply> m, String clientMessage) {
    CredentialsReply reply = m.body();
    assertThat(reply.isGranted()).isFalse();
    assertThat(reply.credentials()).isNull();
    assertThat(reply.refusal()).isNotBlank().doesNotContain(CLIENT_SECRET);
    assertThat(clientMessage).endsWith(reply.refusal());
  }

  @Test
  void anIntrospectionEndpointThatCannotAnswerIsUnavailableAndTheClientGets503(VertxTestContext test)
      throws Throwable {
    JsonObject introspection = new JsonObject().put("url", downUrl("/introspect")).put("clientId", "junction")
        .put("clientSecret", CLIENT_SECRET);
    try (Issuer as = Issuer.start();
         StubMcpServer stub = StubMcpServer.start();
         Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url())),
             new JsonObject().put("auth", new JsonObject().put("resource", RESOURCE).put("oauth", new JsonObject()
                 .put("issuer", as.issuer("default")).put("introspection", introspection))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      RawMcp.Reply r = mcp.post(RawMcp.statelessHeaders("tools/call", "stub_echo")
          .add("Authorization", "Bearer opaque-1"), RawMcp.statelessRequest(1, "tools/call", new JsonObject()
          .put("name", "stub_echo")));
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.headers().get("WWW-Authenticate")).isNull();
      assertThat(r.error().getInteger("code")).isEqualTo(-32603);
      assertThat(r.error().getString("message")).isEqualTo("Authorization server unavailable: introspection failed");
      assertThat(stub.count("tools/call")).isZero();

      EventBus bus = gateway.junction().vertx().eventBus();
      bus.<IntrospectReply>request(Addresses.OAUTH_INTROSPECT, new Introspect("opaque-2"))
          .onComplete(test.succeeding(m -> test.verify(() -> {
            assertThat(m.body().status()).isEqualTo(IntrospectReply.Status.UNAVAILABLE);
            assertThat(m.body().active()).isFalse();
            test.completeNow();
          })));
      assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
      if (test.failed()) {
        throw test.causeOfFailure();
      }
    }
  }
}
