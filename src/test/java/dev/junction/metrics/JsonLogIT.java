package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Await;
import dev.junction.testkit.FreePort;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.OtlpReceiver;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkStdioServer;
import dev.junction.testkit.StubMcpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway with {@code JUNCTION_LOG_FORMAT=json} (no -D flag) and tracing set only by
 * {@code OTEL_*} variables: every stderr line is a JSON object, and the access log's line has its
 * fields as fields, with the trace and span ids of the exported server span; no credential or
 * argument appears.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsonLogIT {
  private static final Path JAR = Path.of("target", "junction.jar");
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static boolean json(String line) {
    try {
      new JsonObject(line);
      return true;
    } catch (DecodeException e) {
      return false;
    }
  }

  @Test
  void jsonLinesCarryTheAccessFieldsAndTheTraceId(@TempDir Path dir) throws Exception {
    int port = FreePort.next();
    Path log = dir.resolve("gateway.log");
    Path config = dir.resolve("junction.yaml");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (StubMcpServer stub = StubMcpServer.start(); OtlpReceiver otlp = OtlpReceiver.start()) {
      Files.writeString(config, """
          listen: {host: 127.0.0.1, port: %d}
          auth: {unauthenticated: allow}
          health: {probeInterval: 0s}
          upstreams:
            stub: {transport: streamable-http, url: "%s"}
          """.formatted(port, stub.url()));
      ProcessBuilder pb = new ProcessBuilder(SdkStdioServer.javaExecutable(), "-jar", JAR.toString(), "--config",
          config.toString()).redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("JUNCTION_LOG_FORMAT", "json");
      pb.environment().put("JUNCTION_ACCESS_LOG", "INFO");
      pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.url());
      pb.environment().put("OTEL_BSP_SCHEDULE_DELAY", "100");
      pb.environment().put("OTEL_SERVICE_NAME", "junction-json-it");
      Process p = pb.start();
      try {
        HttpRequest call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "tools/call")
            .header("Mcp-Name", "stub_echo")
            .header("Authorization", "Bearer very-secret-token")
            .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
            .POST(HttpRequest.BodyPublishers.ofString(RawMcp.statelessRequest(1, "tools/call", new JsonObject()
                .put("name", "stub_echo").put("arguments", new JsonObject().put("text", "secret-argument-value")))
                .encode()))
            .build();
        Await.until(() -> {
          try {
            return http.send(call, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
          } catch (Exception e) {
            return false;
          }
        }, 60, "the gateway answers the call");
        Await.until(() -> read(log).stream().anyMatch(l -> l.contains("\"junction.access\"")), 10,
            "the access line");
        Await.until(() -> !otlp.spans().isEmpty(), 10, "spans exported by OTEL_* settings alone");
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
      List<String> lines = read(log).stream().filter(l -> !l.isBlank()).toList();
      assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(json(l)).as(l).isTrue());
      JsonObject access = lines.stream().map(JsonObject::new)
          .filter(j -> "junction.access".equals(j.getString("logger")))
          .filter(j -> "tools/call".equals(j.getString("rpc_method"))).reduce((a, b) -> b).orElseThrow();
      assertThat(access.getString("http_method")).isEqualTo("POST");
      assertThat(access.getString("path")).isEqualTo("/mcp");
      assertThat(access.getInteger("status")).isEqualTo(200);
      assertThat(access.getString("tool")).isEqualTo("stub_echo");
      assertThat(access.getString("upstream")).isEqualTo("stub");
      assertThat(access.getLong("duration_us")).isPositive();
      assertThat(access.getString("tenant")).hasSize(8);
      assertThat(access.getString("trace_id")).isEqualTo(TRACE_ID);
      String spanId = access.getString("span_id");
      assertThat(otlp.spans()).anySatisfy(s -> assertThat(HexFormat.of().formatHex(s.getSpanId().toByteArray()))
          .isEqualTo(spanId));
      assertThat(String.join("\n", lines)).doesNotContain("very-secret-token").doesNotContain("secret-argument-value");
    }
  }

  private static List<String> read(Path log) {
    try {
      return Files.readAllLines(log);
    } catch (Exception e) {
      return List.of();
    }
  }
}
