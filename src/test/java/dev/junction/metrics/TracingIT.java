package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.OtlpReceiver;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.StubMcpServer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracing on, against a real OTLP/HTTP receiver: one tools/call with a client traceparent gives the
 * gateway's server, shard and upstream spans in the client's trace, each under the one before, and
 * the upstream (HTTP header, or {@code _meta} over stdio) sees the upstream span as its parent.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TracingIT {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey,
        kv -> kv.getValue().hasIntValue() ? String.valueOf(kv.getValue().getIntValue())
            : kv.getValue().getStringValue()));
  }

  private static RawMcp.Reply call(RawMcp mcp, String tool, String traceparent, boolean inMeta) {
    var headers = RawMcp.statelessHeaders("tools/call", tool).add("Authorization", "Bearer tenant-t");
    JsonObject params = new JsonObject().put("name", tool).put("arguments", new JsonObject().put("text", "x"));
    if (inMeta) {
      params.put("_meta", new JsonObject().put("traceparent", traceparent));
    } else {
      headers.add("traceparent", traceparent);
    }
    return mcp.post(headers, RawMcp.statelessRequest(1, "tools/call", params));
  }

  @Test
  void serverShardAndUpstreamSpansInTheClientsTrace() {
    try (OtlpReceiver otlp = OtlpReceiver.start(); StubMcpServer stub = StubMcpServer.start()) {
      Gateway gateway = Gateway.start(new JsonObject().put("stub", Gateway.http(stub.url()))
          .put("kit", Gateway.stdio("kit")), new JsonObject().put("tracing", new JsonObject().put("endpoint",
          otlp.url())));
      String stdioSeen;
      try (RawMcp mcp = new RawMcp(gateway.url("/mcp"))) {
        assertThat(call(mcp, "stub_echo", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01", false).result()).isNotNull();
        RawMcp.Reply stdio = call(mcp, "kit_meta", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01", true);
        stdioSeen = new JsonObject(stdio.result().getJsonArray("content").getJsonObject(0).getString("text"))
            .getString("traceparent");
        assertThat(call(mcp, "zzz_missing", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01", false).error())
            .isNotNull();
      } finally {
        gateway.close(); // exports what is pending
      }
      Await.until(() -> otlp.spans().size() >= 8, 10, "the spans exported");
      List<Span> spans = otlp.spans();
      assertThat(spans).allSatisfy(s -> assertThat(hex(s.getTraceId())).isEqualTo(TRACE_ID));
      Map<String, Span> byId = spans.stream().collect(Collectors.toMap(s -> hex(s.getSpanId()), s -> s));

      String httpSeen = stub.traceparents().get(0);
      Span upstream = byId.get(httpSeen.split("-")[2]);
      assertThat(upstream).as("the span the HTTP upstream saw as its parent").isNotNull();
      assertThat(upstream.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(attributes(upstream)).containsEntry("junction.upstream", "stub")
          .containsEntry("mcp.method.name", "tools/call").containsEntry("gen_ai.tool.name", "echo")
          .containsEntry("network.transport", "tcp");
      Span shard = byId.get(hex(upstream.getParentSpanId()));
      assertThat(shard.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      Span server = byId.get(hex(shard.getParentSpanId()));
      assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(hex(server.getParentSpanId())).isEqualTo(CLIENT_SPAN);
      assertThat(server.getName()).isEqualTo("tools/call stub_echo");
      assertThat(attributes(server)).containsEntry("gen_ai.tool.name", "stub_echo")
          .containsEntry("gen_ai.operation.name", "execute_tool").containsKey("junction.tenant.hash")
          .doesNotContainValue("tenant-t");

      Span stdioUpstream = byId.get(stdioSeen.split("-")[2]);
      assertThat(stdioUpstream).as("the span the stdio upstream saw in _meta").isNotNull();
      assertThat(attributes(stdioUpstream)).containsEntry("network.transport", "pipe")
          .containsEntry("junction.upstream", "kit");
      Span stdioServer = byId.get(hex(byId.get(hex(stdioUpstream.getParentSpanId())).getParentSpanId()));
      assertThat(hex(stdioServer.getParentSpanId())).as("_meta.traceparent is the parent too").isEqualTo(CLIENT_SPAN);

      assertThat(spans).filteredOn(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
          && s.getName().equals("tools/call zzz_missing")).singleElement()
          .satisfies(s -> assertThat(attributes(s)).containsEntry("rpc.jsonrpc.error_code", "-32602"));
    }
  }
}
