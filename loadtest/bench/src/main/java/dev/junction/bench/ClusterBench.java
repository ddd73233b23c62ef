package dev.junction.bench;

import dev.junction.testkit.StubMcpServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Cluster mode: two gateway processes in one cluster in front of the same stub upstream, and one
 * session owned by the first. Its calls are sent to the owner and to the other node (which
 * forwards each over the clustered event bus), the two paths taking turns in one run: throughput
 * ratio, added latency, and the CPU a forwarded call costs on both nodes together.
 * {@code JUNCTION_BENCH_SMOKE=1} makes it a run of a few seconds that only shows it works.
 */
final class ClusterBench {
  private static final boolean SMOKE = "1".equals(System.getenv("JUNCTION_BENCH_SMOKE"));
  private static final int ROUNDS = SMOKE ? 1 : 3;
  private static final long SATURATION_MS = SMOKE ? 1_000 : 3_000;
  private static final int CONCURRENCY = 32;
  private static final int RATE = 1_000;
  private static final long RATE_MS = SMOKE ? 1_000 : 5_000;
  private static final int WARM_UP_ROUNDS = SMOKE ? 1 : 4;

  private ClusterBench() {
  }

  static String run() throws Exception {
    String machine = Report.machine();
    StringBuilder out = new StringBuilder("## Cluster mode: a forwarded call against a local one\n\n"
        + "Command (from the project root): `./mvnw -q install -DskipTests && ./mvnw -q -f loadtest/bench/pom.xml "
        + "compile exec:exec -Dbench.args=\"cluster\"`\n\n" + machine + "\n"
        + "Two gateway processes (target/junction.jar, defaults) joined in one cluster on loopback (Hazelcast, static "
        + "members), the stub upstream (~100-byte results) and the load generator in this JVM, every process on every "
        + "core. One session-based session, initialized on node A: its tools/call requests sent to A (the owner) and "
        + "to B (which forwards each to A over the clustered event bus and streams the answer back). Throughput: "
        + CONCURRENCY + " calls in flight for " + SATURATION_MS / 1000 + " s per path per round. Latency: an open "
        + "loop at " + RATE + " calls/s for " + RATE_MS / 1000 + " s per path per round (HdrHistogram, µs). "
        + ROUNDS + " measured rounds after " + WARM_UP_ROUNDS + " warm-up rounds. CPU per call: user + kernel time of "
        + "both gateway processes during the saturation runs (/proc).\n\n");
    int memberA = GatewayProcess.freePort();
    int memberB = GatewayProcess.freePort();
    try (Caller caller = new Caller();
        StubMcpServer stub = StubMcpServer.start().withoutRecording();
        GatewayProcess a = GatewayProcess.start(port -> config(port, stub.url(), memberA, memberA, memberB),
            "-Xms512m", "-Xmx512m");
        GatewayProcess b = GatewayProcess.start(port -> config(port, stub.url(), memberB, memberA, memberB),
            "-Xms512m", "-Xmx512m")) {
      awaitMembers(b.url().replace("/mcp", "/readyz"), 2);
      String urlA = a.url().replace("/mcp", "/servers/stub/mcp");
      String urlB = b.url().replace("/mcp", "/servers/stub/mcp");
      String session = caller.initialize(urlA);
      JsonObject args = new JsonObject().put("size", 40);
      Route local = new Route(() -> caller.sessionCall(urlA, session, "echo", args));
      Route forwarded = new Route(() -> caller.sessionCall(urlB, session, "echo", args));
      List<Route> paths = List.of(local, forwarded);
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        round(caller, paths, a, b);
      }
      paths.forEach(Route::reset);
      for (int r = 0; r < ROUNDS; r++) {
        round(caller, paths, a, b);
      }
      out.append("| | to the owner | forwarded | forwarded vs owner |\n|---|---:|---:|---:|\n")
          .append(String.format("| throughput, calls/s | %,.0f | %,.0f | %.2f× |%n", local.throughput(),
              forwarded.throughput(), forwarded.throughput() / local.throughput()));
      for (double p : new double[] {50, 99}) {
        long l = local.latency.getValueAtPercentile(p);
        long f = forwarded.latency.getValueAtPercentile(p);
        out.append(String.format("| p%s at %,d/s, µs | %,d | %,d | %+,d µs |%n", p == 50 ? "50" : "99", RATE, l, f,
            f - l));
      }
      out.append(String.format("| CPU per call, both nodes, µs | %,.0f | %,.0f | %+,.0f µs |%n", local.cpuPerCall(),
          forwarded.cpuPerCall(), forwarded.cpuPerCall() - local.cpuPerCall()));
    }
    return out.toString();
  }

  private static String config(int port, String upstream, int member, int... members) {
    List<String> list = java.util.Arrays.stream(members).mapToObj(m -> "127.0.0.1:" + m).toList();
    return new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("auth", new JsonObject().put("unauthenticated", "allow"))
        .put("pool", new JsonObject().put("maxInFlightPerTenant", 100_000))
        .put("upstreams", new JsonObject().put("stub", new JsonObject().put("transport", "streamable-http")
            .put("url", upstream)))
        .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", member)
            .put("members", new io.vertx.core.json.JsonArray(list)).put("memberTimeout", "10s"))
        .encode();
  }

  /** Waits until the node whose {@code /readyz} is {@code readyz} sees {@code members} members. */
  static void awaitMembers(String readyz, int members) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      String body = http.send(HttpRequest.newBuilder(URI.create(readyz)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
      JsonObject cluster = body.startsWith("{") ? new JsonObject(body).getJsonObject("cluster") : null;
      if (cluster != null && cluster.getInteger("members") == members) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the nodes did not form a cluster of " + members);
  }

  private static void round(Caller caller, List<Route> paths, GatewayProcess a, GatewayProcess b) throws Exception {
    for (Route p : paths) {
      long cpu0 = a.cpuNanos()[0] + b.cpuNanos()[0];
      double tput = caller.saturate(SATURATION_MS, CONCURRENCY, p.call);
      p.cpu += a.cpuNanos()[0] + b.cpuNanos()[0] - cpu0;
      p.calls += (long) (tput * SATURATION_MS / 1000);
      p.tputSum += tput;
      p.rounds++;
    }
    for (Route p : paths) {
      p.latency.add(caller.openLoop(RATE, RATE_MS, p.call));
    }
  }

  /** One way to the session's owner, and what was measured on it. */
  private static final class Route {
    final Supplier<Future<?>> call;
    final Histogram latency = new Histogram(60_000_000L, 3);
    int rounds;
    double tputSum;
    long calls;
    long cpu;

    Route(Supplier<Future<?>> call) {
      this.call = call;
    }

    void reset() {
      latency.reset();
      rounds = 0;
      tputSum = 0;
      calls = 0;
      cpu = 0;
    }

    double throughput() {
      return tputSum / Math.max(1, rounds);
    }

    double cpuPerCall() {
      return cpu / 1_000.0 / Math.max(1, calls);
    }
  }
}
