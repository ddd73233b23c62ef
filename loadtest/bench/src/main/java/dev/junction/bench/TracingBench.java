package dev.junction.bench;

import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What OpenTelemetry tracing costs per call: the gateway with tracing off, and with an OTLP
 * exporter sampling every trace and one in ten, against the bare proxy, all in one run and taking
 * turns (the layout of {@link GatewayBench}: the gateways on cores of their own). The collector is
 * a sink in this JVM that answers every export with 200 and counts what it got, so the export's
 * own cost (batching, protobuf, the HTTP post) is in the gateway's CPU as it would be in production.
 */
final class TracingBench {
  private static final int WARM_UP_ROUNDS = 4;
  private static final int ROUNDS = 3;

  private TracingBench() {
  }

  static String run() throws Exception {
    String machine = Report.machine(); // before this JVM is pinned to some of the cores
    String mine = GatewayBench.splitCores();
    Vertx vertx = Vertx.vertx();
    AtomicLong exports = new AtomicLong();
    AtomicLong exportBytes = new AtomicLong();
    HttpServer sink = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
      if (b.succeeded()) {
        exports.incrementAndGet();
        exportBytes.addAndGet(b.result().length());
      }
      req.response().setStatusCode(200).putHeader("Content-Type", "application/x-protobuf").end();
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    String collector = "http://127.0.0.1:" + sink.actualPort();
    StringBuilder out = new StringBuilder("## Tracing: its cost per call\n\n"
        + "Command (from the project root): `./mvnw -q install -DskipTests && ./mvnw -q -f loadtest/bench/pom.xml "
        + "compile exec:exec -Dbench.args=\"tracing\"`\n\n" + machine + "\n"
        + "The gateway (target/junction.jar, three processes: tracing off; an OTLP/HTTP exporter sampling every "
        + "trace; one sampling a tenth) and the bare Vert.x proxy run on cores " + GatewayProcess.cpus + "; the load "
        + "generator, the stub upstream and the collector (a sink answering 200, in the load generator's JVM) on "
        + "cores " + mine + " (with one core, all share it). A session-based tools/call (`echo`, ~100-byte results), "
        + GatewayBench.CONCURRENCY + " calls in "
        + "flight for " + GatewayBench.SATURATION_MS / 1000 + " s per process per round, the processes taking turns; "
        + WARM_UP_ROUNDS + " warm-up rounds, then " + ROUNDS + " measured. CPU per call: the process's user + "
        + "kernel time during its runs (/proc).\n\n");
    try (Caller caller = new Caller(); StubMcpServer stub = StubMcpServer.start().withoutRecording()) {
      List<String> names = List.of("bare Vert.x proxy", "gateway, tracing off", "gateway, every trace sampled",
          "gateway, a tenth sampled");
      List<GatewayBench.Target> paths = new ArrayList<>();
      try (GatewayProcess bare = GatewayProcess.startBare(stub.url(), "-Xms512m", "-Xmx512m");
          GatewayProcess off = gateway(stub.url(), null, 0);
          GatewayProcess all = gateway(stub.url(), collector, 1.0);
          GatewayProcess tenth = gateway(stub.url(), collector, 0.1)) {
        paths.add(path(caller, bare.url(), bare));
        paths.add(path(caller, url(off), off));
        paths.add(path(caller, url(all), all));
        paths.add(path(caller, url(tenth), tenth));
        for (int r = 0; r < WARM_UP_ROUNDS + ROUNDS; r++) {
          if (r == WARM_UP_ROUNDS) {
            paths.forEach(GatewayBench.Target::reset);
            exports.set(0);
            exportBytes.set(0);
          }
          for (GatewayBench.Target p : paths) {
            p.saturate(caller);
          }
        }
      }
      GatewayBench.Target bare = paths.get(0);
      GatewayBench.Target off = paths.get(1);
      out.append("| | throughput, calls/s | CPU per call, µs | vs tracing off | vs bare proxy |\n"
          + "|---|---:|---:|---:|---:|\n");
      for (int i = 0; i < paths.size(); i++) {
        GatewayBench.Target p = paths.get(i);
        out.append(String.format("| %s | %,.0f | %.1f | %s | %.2f× |%n", names.get(i), p.throughput(), p.cpuMicros(),
            p == bare ? "" : String.format("%+.1f µs", p.cpuMicros() - off.cpuMicros()),
            p.cpuMicros() / bare.cpuMicros()));
      }
      out.append(String.format("%nThe collector got %,d exports (%,d KiB of OTLP protobuf) during the measured "
          + "rounds.%n", exports.get(), exportBytes.get() / 1024));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    return out.toString();
  }

  private static GatewayProcess gateway(String upstreamUrl, String collector, double ratio) throws Exception {
    return GatewayProcess.start(port -> {
      JsonObject config = new JsonObject()
          .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port))
          .put("auth", new JsonObject().put("unauthenticated", "allow"))
          .put("pool", new JsonObject().put("maxInFlightPerTenant", 100_000))
          .put("upstreams", new JsonObject().put("stub", new JsonObject().put("transport", "streamable-http")
              .put("url", upstreamUrl)));
      if (collector != null) {
        config.put("tracing", new JsonObject().put("endpoint", collector).put("sampleRatio", ratio)
            .put("serviceName", "junction-bench"));
      }
      return config.encode();
    }, "-Xms512m", "-Xmx512m");
  }

  private static String url(GatewayProcess gateway) {
    return gateway.url().replace("/mcp", "/servers/stub/mcp");
  }

  private static GatewayBench.Target path(Caller caller, String url, GatewayProcess process) throws Exception {
    String session = caller.initialize(url);
    JsonObject args = new JsonObject().put("size", 40);
    return new GatewayBench.Target(() -> caller.sessionCall(url, session, "echo", args), process);
  }
}
