package dev.junction.metrics;

import dev.junction.config.TracingOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenTelemetry spans for MCP requests: a server span at the ingress, an internal span for the
 * shard's work and a client span per upstream call, linked through {@code params._meta.traceparent}
 * (the carrier that crosses the event bus, cluster nodes and stdio). Off unless an OTLP endpoint is
 * configured; then {@link #on()} is false and callers do no span work at all. One instance per
 * Vert.x instance; the OpenTelemetry tracer is thread-safe infrastructure.
 */
public final class Tracing {
  /** No tracing: every request path checks {@link #on()} and does nothing more. */
  public static final Tracing OFF = new Tracing(null, null);
  private static final Map<Vertx, Tracing> INSTANCES = new ConcurrentHashMap<>();
  private static final String TRACEPARENT = "traceparent";
  private static final TextMapGetter<String> ONE_HEADER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of(TRACEPARENT);
    }

    @Override
    public String get(String carrier, String key) {
      return TRACEPARENT.equals(key) ? carrier : null;
    }
  };

  /** MCP and GenAI semantic-convention attribute names. */
  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  public static final AttributeKey<String> SESSION = AttributeKey.stringKey("mcp.session.id");
  public static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("mcp.protocol.version");
  public static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  public static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt.name");
  public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> RESOURCE = AttributeKey.stringKey("mcp.resource.uri");
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
  public static final AttributeKey<Long> ERROR_CODE = AttributeKey.longKey("rpc.jsonrpc.error_code");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
  public static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("junction.upstream");
  public static final AttributeKey<String> TENANT = AttributeKey.stringKey("junction.tenant.hash");

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(SdkTracerProvider provider, Tracer tracer) {
    this.provider = provider;
    this.tracer = tracer;
  }

  /** The tracing of a Vert.x instance the gateway runs on; {@link #OFF} when none was installed. */
  public static Tracing of(Vertx vertx) {
    return INSTANCES.getOrDefault(vertx, OFF);
  }

  /**
   * Installs tracing for {@code vertx} when an endpoint is configured ({@code options}, else the
   * {@code OTEL_*} variables in {@code env}) and not disabled; returns {@link #OFF} otherwise.
   */
  public static Tracing install(Vertx vertx, TracingOptions options, Map<String, String> env) {
    String endpoint = options == null ? null : options.endpoint();
    String traces = endpoint != null ? endpoint.replaceAll("/+$", "") + "/v1/traces"
        : env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (traces == null && env.get("OTEL_EXPORTER_OTLP_ENDPOINT") != null) {
      traces = env.get("OTEL_EXPORTER_OTLP_ENDPOINT").replaceAll("/+$", "") + "/v1/traces";
    }
    if (traces == null || "true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))
        || "none".equalsIgnoreCase(env.get("OTEL_TRACES_EXPORTER"))) {
      return OFF;
    }
    double ratio = options != null && options.sampleRatio() >= 0 ? options.sampleRatio()
        : parseRatio(env.get("OTEL_TRACES_SAMPLER_ARG"));
    String service = options != null && options.serviceName() != null ? options.serviceName()
        : env.getOrDefault("OTEL_SERVICE_NAME", "junction");
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(traces);
    String headers = env.get("OTEL_EXPORTER_OTLP_HEADERS");
    if (headers != null) {
      for (String pair : headers.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          exporter.addHeader(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
    }
    long delay = parseMillis(env.get("OTEL_BSP_SCHEDULE_DELAY"), 5_000);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), service))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
            .setScheduleDelay(Duration.ofMillis(delay)).build())
        .build();
    Tracing tracing = new Tracing(provider, provider.get("dev.junction"));
    tracing.warmUp();
    INSTANCES.put(vertx, tracing);
    return tracing;
  }

  /**
   * Loads the span classes on the caller's thread, so that no event loop pays for it on a first
   * request: a span under an unsampled parent is dropped by the parent-based sampler, and a
   * recording one is built and ended without a processor seeing it (it is never started).
   */
  private void warmUp() {
    Span dropped = start(SpanKind.SERVER, "warm-up", null, "00-" + "1".repeat(32) + "-" + "1".repeat(16) + "-00");
    target(dropped, "tools/call", "warm-up");
    end(dropped, new JsonObject().put("error", new JsonObject().put("code", -1)));
    traceparent(dropped);
    for (String name : List.of("io.opentelemetry.sdk.trace.SdkSpan", "io.opentelemetry.sdk.trace.SdkSpanBuilder",
        "io.opentelemetry.sdk.trace.AttributesMap", "io.opentelemetry.sdk.trace.data.ImmutableStatusData")) {
      try {
        Class.forName(name, true, Tracing.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // another SDK version: nothing to warm up
      }
    }
  }

  private static double parseRatio(String value) {
    try {
      double d = value == null ? 1 : Double.parseDouble(value);
      return d >= 0 && d <= 1 ? d : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static long parseMillis(String value, long otherwise) {
    try {
      return value == null ? otherwise : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** True when spans are recorded and exported; false keeps every request path free of span work. */
  public boolean on() {
    return tracer != null;
  }

  /**
   * Starts a span whose parent is {@code traceparent} (a root span when it is null or malformed),
   * named for the MCP method and its target as the conventions ask: {@code tools/call get_weather}.
   */
  public Span start(SpanKind kind, String method, String target, String traceparent) {
    Context parent = traceparent == null ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_HEADER);
    return tracer.spanBuilder(target == null ? method : method + " " + target).setSpanKind(kind)
        .setParent(parent).setAttribute(METHOD, method).startSpan();
  }

  /** Sets what the target of a request is, by method: tool, prompt or resource. */
  public static void target(Span span, String method, String target) {
    if (target == null) {
      return;
    }
    switch (method) {
      case "tools/call" -> span.setAttribute(TOOL, target).setAttribute(OPERATION, "execute_tool");
      case "prompts/get" -> span.setAttribute(PROMPT, target);
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> span.setAttribute(RESOURCE, target);
      default -> { }
    }
  }

  /** Ends a span with the JSON-RPC response it led to: an error's code makes it an error span. */
  public static void end(Span span, JsonObject response) {
    JsonObject error = response != null && response.getValue("error") instanceof JsonObject e ? e : null;
    if (response == null) {
      span.setStatus(StatusCode.ERROR).setAttribute(ERROR_TYPE, "no_response");
    } else if (error != null && error.getValue("code") instanceof Number code) {
      span.setStatus(StatusCode.ERROR).setAttribute(ERROR_CODE, code.longValue())
          .setAttribute(ERROR_TYPE, code.toString());
    }
    span.end();
  }

  /** The W3C {@code traceparent} that names {@code span} as the parent. */
  public static String traceparent(Span span) {
    SpanContext c = span.getSpanContext();
    return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
  }

  /** The {@code params._meta.traceparent} of a request, or null. */
  public static String traceparentOf(JsonObject params) {
    JsonObject meta = params == null ? null : params.getJsonObject("_meta");
    return meta != null && meta.getValue(TRACEPARENT) instanceof String s ? s : null;
  }

  /** Puts {@code span}'s context in {@code params._meta.traceparent}: the next hop's parent. */
  public static void carry(JsonObject params, Span span) {
    JsonObject meta = params.getJsonObject("_meta");
    if (meta == null) {
      meta = new JsonObject();
      params.put("_meta", meta);
    }
    meta.put(TRACEPARENT, traceparent(span));
  }

  /** Exports what is pending and stops; completes when done. */
  public Future<Void> close(Vertx vertx) {
    INSTANCES.remove(vertx, this);
    if (provider == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    provider.shutdown().whenComplete(done::tryComplete);
    return done.future();
  }
}
