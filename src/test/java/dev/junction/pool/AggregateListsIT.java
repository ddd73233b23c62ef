package dev.junction.pool;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Await;
import dev.junction.testkit.ClosedPort;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer.Spec;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lists and routing on the aggregate and virtual endpoints, against configurable stub upstreams. */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AggregateListsIT {
  private static final String V = "2025-11-25";

  private static JsonObject request(Object id, String method, JsonObject params) {
    JsonObject m = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    return params == null ? m : m.put("params", params);
  }

  private static List<String> names(RawMcp.Reply r, String field, String key) {
    return r.result().getJsonArray(field).stream().map(o -> ((JsonObject) o).getString(key)).toList();
  }

  private static List<String> range(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void mergesPagesAcrossThreeUpstreamsWithGatewayCursors() {
    try (StubMcpServer one = StubMcpServer.start(Spec.basic().named("one").withTools(range("a", 5), 2));
         StubMcpServer two = StubMcpServer.start(Spec.basic().named("two").withTools(range("b", 3), 2));
         StubMcpServer three = StubMcpServer.start(Spec.basic().named("three").withTools(range("c", 1), 2));
         Gateway gateway = Gateway.start(new JsonObject().put("one", Gateway.http(one.url()))
             .put("two", Gateway.http(two.url())).put("three", Gateway.http(three.url())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      List<List<String>> pages = new ArrayList<>();
      String cursor = null;
      do {
        RawMcp.Reply r = mcp.post(sessionHeaders(session, V), request(pages.size(), "tools/list",
            cursor == null ? null : new JsonObject().put("cursor", cursor)));
        pages.add(names(r, "tools", "name"));
        cursor = r.result().getString("nextCursor");
      } while (cursor != null && pages.size() < 10);
      // one page of each upstream per gateway page, upstreams in config order
      assertThat(pages).containsExactly(
          List.of("one_a1", "one_a2", "two_b1", "two_b2", "three_c1"),
          List.of("one_a3", "one_a4", "two_b3"),
          List.of("one_a5"));
      long upstreamLists = one.count("tools/list");
      // the same walk again is served from the scope's cache
      mcp.post(sessionHeaders(session, V), request(20, "tools/list", null));
      assertThat(one.count("tools/list")).isEqualTo(upstreamLists);
      RawMcp.Reply bad = mcp.post(sessionHeaders(session, V), request(21, "tools/list", new JsonObject().put("cursor", "bm9wZQ")));
      assertThat(bad.error().getInteger("code")).isEqualTo(-32602);
      // stateless clients page the same way
      RawMcp.Reply first = mcp.stateless(22, "tools/list", null);
      assertThat(names(first, "tools", "name")).containsExactly("one_a1", "one_a2", "two_b1", "two_b2", "three_c1");
      RawMcp.Reply second = mcp.stateless(23, "tools/list", new JsonObject().put("cursor", first.result().getString("nextCursor")));
      assertThat(names(second, "tools", "name")).containsExactly("one_a3", "one_a4", "two_b3");
    }
  }

  @Test
  void anUpstreamsTtlMsDecidesHowLongItsListIsCached() {
    try (StubMcpServer fresh = StubMcpServer.start(Spec.basic().named("fresh").withListTtl(0));
         StubMcpServer stable = StubMcpServer.start(Spec.basic().named("stable").withListTtl(600_000));
         Gateway gateway = Gateway.start(new JsonObject().put("fresh", Gateway.http(fresh.url()))
             .put("stable", Gateway.http(stable.url())), new JsonObject().put("listCacheTtl", "10m"));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      for (int i = 0; i < 3; i++) {
        assertThat(names(mcp.post(sessionHeaders(session, V), request(i, "tools/list", null)), "tools", "name"))
            .containsExactly("fresh_echo", "stable_echo");
      }
      assertThat(fresh.count("tools/list")).isEqualTo(3); // ttlMs 0: never cached
      assertThat(stable.count("tools/list")).isEqualTo(1);
    }
  }

  @Test
  void prefixCollisionsAndTheSixtyFourCharacterBudget() {
    String longA = "fetch_the_quarterly_revenue_report_for_the_given_region_and_year_in_csv";
    String longB = "fetch_the_quarterly_revenue_report_for_the_given_region_and_year_in_pdf";
    try (StubMcpServer one = StubMcpServer.start(Spec.basic().named("one").withTools(List.of("echo", longA, longB), 10));
         StubMcpServer two = StubMcpServer.start(Spec.basic().named("two"));
         Gateway gateway = Gateway.start(new JsonObject()
             .put("one", Gateway.http(one.url()).put("alias", "x"))
             .put("two", Gateway.http(two.url()).put("alias", "x")));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      List<String> tools = names(mcp.post(sessionHeaders(session, V), request(1, "tools/list", null)), "tools", "name");
      // two's alias was taken, so its name is its prefix
      assertThat(tools).contains("x_echo", "two_echo");
      assertThat(tools).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(64));
      assertThat(tools).doesNotHaveDuplicates().hasSize(4);
      String shortA = tools.stream().filter(t -> t.startsWith("x_fetch") && !t.equals("x_echo")).sorted().findFirst().orElseThrow();
      assertThat(shortA).hasSize(64);
      for (String shortName : tools.stream().filter(t -> t.startsWith("x_fetch")).toList()) {
        RawMcp.Reply r = mcp.post(sessionHeaders(session, V), request(2, "tools/call", new JsonObject().put("name", shortName)));
        String original = r.result().getJsonObject("receivedParams").getString("name");
        assertThat(original).isIn(longA, longB);
        assertThat(shortName).isEqualTo(dev.junction.routing.Names.exposed("x", original));
      }
      assertThat(mcp.post(sessionHeaders(session, V), request(3, "tools/call", new JsonObject().put("name", "two_echo")))
          .result().getJsonObject("receivedParams").getString("name")).isEqualTo("echo");
    }
  }

  @Test
  void conflictingUrisAreRewrittenAndStillRead() {
    Spec base = Spec.basic().withResources(List.of("file:///shared.txt", "file:///only-%s.txt"), List.of("db://{table}"));
    try (StubMcpServer one = StubMcpServer.start(base.named("one").withResources(
            List.of("file:///shared.txt", "file:///only-one.txt"), List.of("db://{table}")));
         StubMcpServer two = StubMcpServer.start(base.named("two").withResources(
             List.of("file:///shared.txt", "file:///only-two.txt"), List.of("db://{table}")));
         Gateway gateway = Gateway.start(new JsonObject().put("one", Gateway.http(one.url())).put("two", Gateway.http(two.url())));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
      String session = mcp.initialize(V, new JsonObject());
      List<String> uris = names(mcp.post(sessionHeaders(session, V), request(1, "resources/list", null)), "resources", "uri");
      assertThat(uris).containsExactly("file:///shared.txt", "file:///only-one.txt",
          "junction://two/file:///shared.txt", "file:///only-two.txt");
      List<String> templates = names(mcp.post(sessionHeaders(session, V), request(2, "resources/templates/list", null)),
          "resourceTemplates", "uriTemplate");
      assertThat(templates).containsExactly("db://{table}", "junction://two/db://{table}");
      assertThat(read(mcp, session, "file:///shared.txt")).isEqualTo(new JsonObject().put("uri", "file:///shared.txt").put("text", "from one"));
      assertThat(read(mcp, session, "junction://two/file:///shared.txt"))
          .isEqualTo(new JsonObject().put("uri", "junction://two/file:///shared.txt").put("text", "from two"));
      assertThat(read(mcp, session, "file:///only-two.txt").getString("text")).isEqualTo("from two");
      assertThat(read(mcp, session, "junction://two/db://users").getString("text")).isEqualTo("from two");
      assertThat(read(mcp, session, "db://users").getString("text")).isEqualTo("from one");
      // the upstream saw its own URI
      assertThat(two.received().stream().filter(m -> "resources/read".equals(m.getString("method")))
          .map(m -> m.getJsonObject("params").getString("uri")).toList()).contains("file:///shared.txt", "db://users");
    }
  }

  private static JsonObject read(RawMcp mcp, String session, String uri) {
    return mcp.post(sessionHeaders(session, V), request(9, "resources/read", new JsonObject().put("uri", uri)))
        .result().getJsonArray("contents").getJsonObject(0);
  }

  @Test
  void aDownOrSlowUpstreamIsLeftOutAndReported() throws Exception {
    try (ClosedPort down = new ClosedPort();
         StubMcpServer ok = StubMcpServer.start(Spec.basic().named("ok"));
         StubMcpServer slow = StubMcpServer.start(Spec.basic().named("slow").withListDelay(3_000));
         Gateway gateway = Gateway.start(new JsonObject()
             .put("ok", Gateway.http(ok.url()))
             .put("slow", Gateway.http(slow.url()).put("listTimeout", "300ms"))
             .put("down", Gateway.http(down.url()).put("connectTimeout", "1s")),
             new JsonObject().put("virtualServers", new JsonObject()
                 .put("strict", new JsonObject().put("upstreams", List.of("ok", "down")).put("failureMode", "closed"))));
         RawMcp mcp = new RawMcp(gateway.url("/mcp"));
         RawMcp strict = new RawMcp(gateway.url("/v/strict/mcp"));
         RawMcp metrics = new RawMcp(gateway.url("/metrics"))) {
      String session = mcp.initialize(V, new JsonObject());
      RawMcp.Reply list = mcp.post(sessionHeaders(session, V), request(1, "tools/list", null));
      assertThat(names(list, "tools", "name")).containsExactly("ok_echo");
      // the client is told, on the response's stream, which upstreams were left out
      List<String> reported = list.messages().stream().filter(m -> "notifications/message".equals(m.getString("method")))
          .map(m -> m.getJsonObject("params").getString("data")).toList();
      assertThat(reported).hasSize(2).anyMatch(d -> d.startsWith("upstream 'slow' left out of tools/list"))
          .anyMatch(d -> d.startsWith("upstream 'down' left out of tools/list"));
      assertThat(list.messages().get(0).getJsonObject("params").getString("level")).isEqualTo("warning");
      String scrape = metrics.send(io.vertx.core.http.HttpMethod.GET, RawMcp.postHeaders(), null).body();
      assertThat(scrape).contains("junction_upstream_left_out_total{upstream=\"down\"}")
          .contains("junction_upstream_left_out_total{upstream=\"slow\"}");
      RawMcp.Reply call = mcp.post(sessionHeaders(session, V), request(2, "tools/call", new JsonObject().put("name", "down_echo")));
      assertThat(call.error().getInteger("code")).isEqualTo(-32603);
      assertThat(call.error().getJsonObject("data").getString("upstream")).isEqualTo("down");
      assertThat(call.error().getString("message")).contains("Upstream unavailable");
      String strictSession = strict.initialize(V, new JsonObject());
      RawMcp.Reply failed = strict.post(sessionHeaders(strictSession, V), request(3, "tools/list", null));
      assertThat(failed.error().getInteger("code")).isEqualTo(-32603);
      assertThat(failed.error().getJsonObject("data").getString("upstream")).isEqualTo("down");
    }
  }

  @Test
  void virtualServerFiltersAgreeBetweenListAndCall() {
    try (StubMcpServer one = StubMcpServer.start(Spec.basic().named("one").withTools(List.of("read", "write", "delete"), 10));
         StubMcpServer two = StubMcpServer.start(Spec.basic().named("two").withTools(List.of("search", "admin"), 10));
         StubMcpServer three = StubMcpServer.start(Spec.basic().named("three"));
         Gateway gateway = Gateway.start(new JsonObject().put("one", Gateway.http(one.url()))
             .put("two", Gateway.http(two.url())).put("three", Gateway.http(three.url())),
             new JsonObject().put("virtualServers", new JsonObject().put("safe", new JsonObject()
                 .put("upstreams", List.of("one", "two"))
                 .put("tools", new JsonObject().put("allow", List.of("one_*", "two_s*")).put("deny", List.of("one_d*"))))));
         RawMcp safe = new RawMcp(gateway.url("/v/safe/mcp"))) {
      String session = safe.initialize(V, new JsonObject());
      List<String> listed = names(safe.post(sessionHeaders(session, V), request(1, "tools/list", null)), "tools", "name");
      assertThat(listed).containsExactly("one_read", "one_write", "two_search");
      for (String visible : listed) {
        RawMcp.Reply r = safe.post(sessionHeaders(session, V), request(2, "tools/call", new JsonObject().put("name", visible)));
        assertThat(r.result()).as(visible).isNotNull();
      }
      JsonObject hidden = safe.post(sessionHeaders(session, V), request(3, "tools/call",
          new JsonObject().put("name", "one_delete"))).error();
      JsonObject missing = safe.post(sessionHeaders(session, V), request(3, "tools/call",
          new JsonObject().put("name", "one_nothing"))).error();
      JsonObject otherUpstream = safe.post(sessionHeaders(session, V), request(3, "tools/call",
          new JsonObject().put("name", "three_echo"))).error();
      assertThat(hidden.getInteger("code")).isEqualTo(-32602);
      assertThat(hidden.getString("message")).isEqualTo("Invalid params: Unknown tool: one_delete");
      assertThat(missing.getString("message")).isEqualTo("Invalid params: Unknown tool: one_nothing");
      assertThat(otherUpstream.getString("message")).isEqualTo("Invalid params: Unknown tool: three_echo");
      assertThat(one.received().stream().filter(m -> "tools/call".equals(m.getString("method")))
          .map(m -> m.getJsonObject("params").getString("name")).toList()).containsExactly("read", "write");
      assertThat(three.count("initialize")).isZero();
    }
  }

  @Test
  void aFilteredCallWhoseListFailsGetsTheListsErrorOnce() throws Exception {
    JsonObject virtual = new JsonObject().put("v", new JsonObject().put("upstreams", new JsonArray()
        .add("down")).put("tools", new JsonObject().put("allow", new JsonArray().add("down_*"))));
    try (ClosedPort closed = new ClosedPort();
         Gateway gateway = Gateway.start(new JsonObject().put("down", Gateway.http(closed.url())), new JsonObject()
             .put("virtualServers", virtual).put("health", new JsonObject().put("failureThreshold", 1))
             .put("admin", Admin.config()));
         RawMcp mcp = new RawMcp(gateway.url("/v/v/mcp"));
         Admin admin = new Admin(gateway)) {
      JsonObject call = new JsonObject().put("name", "down_echo").put("arguments", new JsonObject());
      mcp.stateless(1, "tools/call", call);
      // the health verticle opens the circuit after the first failure, and the shard hears of it a moment later
      Await.until(() -> "open".equals(admin.upstream("down").getString("circuit")), 10, "the circuit to open");
      RawMcp.Reply r = mcp.stateless(2, "tools/call", call);
      assertThat(r.error().getInteger("code")).isEqualTo(-32603);
      assertThat(r.error().getString("message")).isEqualTo("Upstream unavailable: circuit open");
      assertThat(r.error().getJsonObject("data").getString("upstream")).isEqualTo("down");
      assertThat(r.last().getValue("id")).isEqualTo(2);
    }
  }
}
