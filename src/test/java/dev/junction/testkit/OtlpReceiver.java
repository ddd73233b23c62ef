package dev.junction.testkit;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;

/**
 * A real OTLP/HTTP collector for tests: {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, decoded with the OpenTelemetry protocol's own classes. Keeps
 * every span it received.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Span> spans = new ArrayList<>();

  private OtlpReceiver() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (!"/v1/traces".equals(req.path())
          || !"application/x-protobuf".equals(req.getHeader("Content-Type"))) {
        req.response().setStatusCode(404).end();
        return;
      }
      try {
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
        synchronized (spans) {
          export.getResourceSpansList().forEach(r -> r.getScopeSpansList()
              .forEach(s -> spans.addAll(s.getSpansList())));
        }
        req.response().putHeader("Content-Type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        req.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1").await();
  }

  public static OtlpReceiver start() {
    return new OtlpReceiver();
  }

  /** The base URL, as {@code tracing.endpoint} or {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Span> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
