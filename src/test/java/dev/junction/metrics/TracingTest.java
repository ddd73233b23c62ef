package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.TracingOptions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing is off unless an endpoint is configured, and spans link through {@code _meta.traceparent}. */
class TracingTest {
  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void offWithoutAnEndpointOrWhenDisabled() {
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(Tracing.install(vertx, null, Map.of())).isSameAs(Tracing.OFF);
      assertThat(Tracing.install(vertx, new TracingOptions(null, -1, null), Map.of("OTEL_SERVICE_NAME", "x")))
          .isSameAs(Tracing.OFF);
      assertThat(Tracing.install(vertx, null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
          "OTEL_SDK_DISABLED", "true"))).isSameAs(Tracing.OFF);
      assertThat(Tracing.install(vertx, null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
          "OTEL_TRACES_EXPORTER", "none"))).isSameAs(Tracing.OFF);
      assertThat(Tracing.of(vertx).on()).isFalse();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aSpanContinuesTheTraceAndIsCarriedInMeta() {
    Vertx vertx = Vertx.vertx();
    try {
      Tracing tracing = Tracing.install(vertx, new TracingOptions("http://127.0.0.1:1", 1, "t"), Map.of());
      assertThat(tracing.on()).isTrue();
      assertThat(Tracing.of(vertx)).isSameAs(tracing);
      Span span = tracing.start(SpanKind.SERVER, "tools/call", "x_echo", PARENT);
      JsonObject params = new JsonObject();
      Tracing.carry(params, span);
      String carried = Tracing.traceparentOf(params);
      assertThat(carried).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01")
          .isNotEqualTo(PARENT);
      Span child = tracing.start(SpanKind.CLIENT, "tools/call", "echo", carried);
      assertThat(child.getSpanContext().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      Tracing.end(child, new JsonObject().put("error", new JsonObject().put("code", -32001)));
      Tracing.end(span, new JsonObject().put("result", new JsonObject()));
      // a malformed parent starts a new trace rather than failing
      Span root = tracing.start(SpanKind.SERVER, "ping", null, "00-nonsense");
      assertThat(root.getSpanContext().isValid()).isTrue();
      root.end();
      tracing.close(vertx).await();
      assertThat(Tracing.of(vertx)).isSameAs(Tracing.OFF);
    } finally {
      vertx.close().await();
    }
  }
}
