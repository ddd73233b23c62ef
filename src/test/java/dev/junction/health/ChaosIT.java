package dev.junction.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Admin;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.HostileMcpServer;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.RawMcp;
import dev.junction.testkit.SdkStdioServer;
import dev.junction.testkit.StubMcpServer;
import dev.junction.upstream.sse.SseParser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chaos: three tenants call the gateway steadily, stateless (2026-07-28) and in sessions, while
 * the test kills stdio upstreams with SIGKILL, stops and restarts an HTTP upstream and makes it
 * answer 500, and a hostile upstream answers garbage, hangs or sends oversized events.
 *
 * <p>It checks, for every call: a call to the upstream that is never touched ({@code steady})
 * always succeeds; a call to a faulty one always ends, with a result or a JSON-RPC error, within
 * the longest wait its config allows ({@link #bound}). Afterwards, once the gateway has had time
 * to close idle sessions: no downstream or upstream session, pool key, call in flight, stdio
 * process or upstream connection is left, the JVM's open file descriptors are back where they
 * were, and live heap is within 10 % of where it was. The baseline is taken after a warm-up round
 * of the same chaos, so class loading, JIT and pools that grow once are not counted.
 *
 * <p>The gateway, the upstream servers and the load clients all run in this JVM (the stdio
 * upstreams are child JVMs), so the file descriptor count is this JVM's. Blocking calls on
 * plain threads keep the load simple; the gateway itself runs on its own event loops.
 *
 * <p>It found that an upstream DELETE sent on a kept-alive connection the server had just closed
 * was lost, leaving the upstream session open (see RelayWireIT for the focused regression test).
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChaosIT {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);
  private static final String V = "2025-11-25";
  private static final List<String> TENANTS = List.of("acme", "globex", "initech");

  private static final long REQUEST_TIMEOUT_MS = 2_000;
  private static final long ACQUIRE_TIMEOUT_MS = 1_000;
  private static final long HTTP_CREATE_TIMEOUT_MS = 2_000;
  /** A stdio server is a JVM; on a loaded 2-core machine it can take seconds to start. */
  private static final long STDIO_CREATE_TIMEOUT_MS = 8_000;
  private static final long PROBE_TIMEOUT_MS = 1_000;
  /** Scheduling and GC slack on a loaded machine, on top of the configured waits. */
  private static final long MARGIN_MS = 1_500;
  /** Longer than any call of a session-based caller (its faulty calls are HTTP ones): no session is swept mid-use. */
  private static final long SESSION_IDLE_MS = 8_000;
  /** The upstream servers close connections idle this long, so kept-alive connections do not count as left over. */
  private static final int UPSTREAM_IDLE_S = 2;

  private static final long WARM_UP_MS = 9_000;
  private static final long CHAOS_MS = 36_000;
  /** The flaky upstream's cycle: each step lasts this long (normal, stopped, normal, failing). */
  private static final long FLAKY_STEP_MS = 3_000;
  private static final long KILL_EVERY_MS = 4_000;
  /**
   * File descriptors allowed above the baseline: the test's own admin clients keep up to a few
   * connections to the gateway alive (each costs two descriptors, as both ends are in this JVM),
   * and a class loaded for the first time after the baseline may open one more jar.
   */
  private static final int FD_SLACK = 8;

  private static final List<String> HOSTILE_TOOLS = List.of("garbage", "garbage-sse", "error-500", "wrong-id",
      "hang", "hang-sse", "cut", "one-line", "many-lines", "json", "echo");

  /** One call as the client saw it: how it ended, and after how long. */
  record Outcome(String caller, String target, long ms, Verdict verdict, int status, String detail) {
    boolean healthy() {
      return target.startsWith("steady") || target.startsWith("initialize") || target.startsWith("delete");
    }

    @Override
    public String toString() {
      return caller + " " + target + " " + verdict + " " + status + " after " + ms + " ms: " + detail;
    }
  }

  enum Verdict { RESULT, ERROR, BROKEN, HUNG }

  /** Gauges that count what is open; each must be back at its value before the first call. */
  private static final List<String> GAUGES = List.of("junction_downstream_sessions", "junction_pool_sessions",
      "junction_pool_in_flight", "junction_upstream_processes");

  private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final Map<String, Double> zero = new HashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private int kills;
  private int restarts;
  private int failingSpells;
  private boolean flakyStopped;

  private StubMcpServer steady;
  private StubMcpServer flaky;
  private HostileMcpServer hostile;
  private Gateway gateway;
  private Admin admin;
  private RawMcp pool;

  @Test
  void healthyUpstreamsNeverFailFaultyOnesAlwaysEndAndNothingIsLeftOver() throws Exception {
    steady = StubMcpServer.start(StubMcpServer.Spec.basic().named("steady"), UPSTREAM_IDLE_S).withoutRecording();
    flaky = StubMcpServer.start(StubMcpServer.Spec.basic().named("flaky").withTools(List.of("echo", "hang"), 10),
        UPSTREAM_IDLE_S).withoutRecording();
    hostile = HostileMcpServer.start(UPSTREAM_IDLE_S);
    try {
      gateway = Gateway.start(upstreams(), new JsonObject()
          .put("admin", Admin.config())
          .put("sessionIdleTimeout", SESSION_IDLE_MS + "ms")
          .put("virtualServers", new JsonObject().put("mixed", new JsonObject()
              .put("upstreams", new JsonArray().add("steady").add("flaky").add("hostile"))))
          .put("health", new JsonObject().put("failureThreshold", 3).put("probeTimeout", PROBE_TIMEOUT_MS + "ms")
              .put("reconnect", new JsonObject().put("initialDelay", "500ms").put("maxDelay", "2s")))
          .put("pool", new JsonObject().put("idleTimeout", "2s").put("evictionInterval", "500ms")
              .put("acquireTimeout", ACQUIRE_TIMEOUT_MS + "ms").put("createTimeout", HTTP_CREATE_TIMEOUT_MS + "ms")));
      admin = new Admin(gateway);
      pool = new RawMcp(gateway.url("/admin/pool"));
      // the registry is the JVM's default one, shared with gateways of earlier tests in this JVM
      String metrics = admin.metrics();
      GAUGES.forEach(g -> zero.put(g, sum(metrics, g)));

      prime();
      run(WARM_UP_MS);
      settle("after the warm-up");
      Footprint before = Footprint.measure();
      LOG.info("baseline after the warm-up: {}", before);

      run(CHAOS_MS);
      settle("after the chaos");
      Footprint after = Footprint.measure();
      LOG.info("after the chaos: {}", after);

      checkCalls();
      checkFootprint(before, after);
    } finally {
      if (pool != null) {
        pool.close();
      }
      if (admin != null) {
        admin.close();
      }
      if (gateway != null) {
        gateway.close();
      }
      hostile.close();
      flaky.close();
      steady.close();
    }
    assertThat(stdioServers()).as("stdio servers alive after the gateway stopped").isEmpty();
  }

  private JsonObject upstreams() {
    JsonObject httpPool = new JsonObject().put("acquireTimeout", ACQUIRE_TIMEOUT_MS + "ms")
        .put("createTimeout", HTTP_CREATE_TIMEOUT_MS + "ms");
    return new JsonObject()
        .put("steady", Gateway.http(steady.url()))
        .put("flaky", Gateway.http(flaky.url()).put("requestTimeout", REQUEST_TIMEOUT_MS + "ms")
            .put("connectTimeout", HTTP_CREATE_TIMEOUT_MS + "ms").put("pool", httpPool.copy()))
        .put("hostile", Gateway.http(hostile.url()).put("requestTimeout", REQUEST_TIMEOUT_MS + "ms")
            .put("connectTimeout", HTTP_CREATE_TIMEOUT_MS + "ms").put("maxEventSize", "1MiB")
            .put("maxResponseSize", "1MiB").put("pool", httpPool.copy()))
        // one process per tenant, shared by its calls (sharing auto would give stateless tenants the same)
        .put("crashy", new JsonObject().put("transport", "stdio").put("command", stdioCommand())
            .put("sharing", "tenant").put("requestTimeout", REQUEST_TIMEOUT_MS + "ms")
            .put("connectTimeout", STDIO_CREATE_TIMEOUT_MS + "ms")
            .put("pool", new JsonObject().put("maxSessions", 1).put("acquireTimeout", ACQUIRE_TIMEOUT_MS + "ms")
                .put("createTimeout", STDIO_CREATE_TIMEOUT_MS + "ms")));
  }

  /**
   * The SDK stdio server as a child JVM that starts cheaply (C1 only, serial GC): it is restarted
   * after every kill, and the machine has two cores.
   */
  private static JsonArray stdioCommand() {
    List<String> command = new ArrayList<>(SdkStdioServer.command("crashy"));
    command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    return new JsonArray(command);
  }

  /**
   * The longest a call to this upstream may take as configured: waiting for a session (up to
   * acquireTimeout, or acquireTimeout + createTimeout while one is being started), a health
   * check of a session idle past healthCheckInterval (not reached here: sessions are busy), then
   * its requestTimeout; plus a margin for a loaded machine.
   */
  private static long bound(String target) {
    long create = target.startsWith("crashy") ? STDIO_CREATE_TIMEOUT_MS : HTTP_CREATE_TIMEOUT_MS;
    return ACQUIRE_TIMEOUT_MS + create + REQUEST_TIMEOUT_MS + MARGIN_MS;
  }

  // ---------------------------------------------------------------- load and faults

  /**
   * One call of each kind per tenant, one at a time, before any load: the gateway's first calls
   * load classes and start the stdio processes, and on a loaded 2-core machine doing that under
   * load from the start can stall an event loop past the blocked-thread limit.
   */
  private void prime() {
    Vertx vertx = Vertx.vertx();
    try {
      WebClient web = WebClient.create(vertx);
      for (String tenant : TENANTS) {
        for (String tool : List.of("steady_echo", "crashy_echo", "flaky_echo", "hostile_echo")) {
          long id = ids.incrementAndGet();
          outcomes.add(send(web, gatewayUrl("/mcp"), "prime/" + tenant, tool,
              RawMcp.statelessHeaders("tools/call", tool).add("x-tenant-id", tenant),
              RawMcp.statelessRequest(id, "tools/call", new JsonObject().put("name", tool)
                  .put("arguments", arguments(tool))), id));
        }
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Runs the callers and the faults for this long, then stops the callers and heals the upstreams. */
  private void run(long ms) throws Exception {
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService callers = Executors.newFixedThreadPool(TENANTS.size() * 2);
    try {
      for (String tenant : TENANTS) {
        callers.submit(() -> stateless(web, tenant, running));
        callers.submit(() -> sessions(web, tenant, running));
      }
      faults(ms);
    } finally {
      running.set(false);
      callers.shutdown();
      boolean ended = callers.awaitTermination(60, TimeUnit.SECONDS);
      heal();
      vertx.close().await();
      assertThat(ended).as("the callers stopped").isTrue();
    }
  }

  /** Kills a crashy process every few seconds, and takes the flaky upstream through its cycle. */
  private void faults(long ms) {
    long start = System.nanoTime();
    long nextKill = KILL_EVERY_MS / 2;
    int step = 0;
    while (true) {
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (elapsed >= ms) {
        return;
      }
      if (elapsed >= nextKill) {
        List<ProcessHandle> alive = stdioServers();
        if (!alive.isEmpty()) {
          alive.get(ThreadLocalRandom.current().nextInt(alive.size())).destroyForcibly();
          kills++;
        }
        nextKill += KILL_EVERY_MS;
      }
      int now = (int) (elapsed / FLAKY_STEP_MS) % 4;
      if (now != step) {
        switch (now) {
          case 1 -> {
            flaky.stop();
            flakyStopped = true;
          }
          case 2 -> {
            flaky.restart();
            flakyStopped = false;
            restarts++;
          }
          case 3 -> {
            flaky.failing(true);
            failingSpells++;
          }
          default -> flaky.failing(false);
        }
        step = now;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private void heal() {
    if (flakyStopped) {
      flaky.restart();
      flakyStopped = false;
    }
    flaky.failing(false);
  }

  private static String pick(List<String> options) {
    return options.get(ThreadLocalRandom.current().nextInt(options.size()));
  }

  /**
   * A faulty target: a tool of flaky, hostile or crashy (crashy only for stateless callers). crashy's
   * {@code slow} keeps calls in flight, so that some kills land mid-call.
   */
  private static String faulty(boolean withStdio) {
    int dice = ThreadLocalRandom.current().nextInt(withStdio ? 3 : 2);
    return switch (dice) {
      case 0 -> "flaky_" + pick(List.of("echo", "echo", "echo", "hang"));
      case 1 -> "hostile_" + pick(HOSTILE_TOOLS);
      default -> "crashy_" + pick(List.of("echo", "add", "slow", "slow"));
    };
  }

  private static JsonObject arguments(String tool) {
    return switch (tool) {
      case "crashy_echo", "steady_echo", "flaky_echo" -> new JsonObject().put("text", "hi");
      case "crashy_add" -> new JsonObject().put("a", 2).put("b", 3);
      case "crashy_slow" -> new JsonObject().put("ms", 800);
      default -> new JsonObject();
    };
  }

  /** A stateless client of one tenant: alternates calls to steady with calls to a faulty upstream. */
  private void stateless(WebClient web, String tenant, AtomicBoolean running) {
    String caller = "stateless/" + tenant;
    boolean healthyTurn = true;
    while (running.get()) {
      String tool = healthyTurn ? "steady_echo" : faulty(true);
      healthyTurn = !healthyTurn;
      long id = ids.incrementAndGet();
      JsonObject body = RawMcp.statelessRequest(id, "tools/call",
          new JsonObject().put("name", tool).put("arguments", arguments(tool)));
      MultiMap headers = RawMcp.statelessHeaders("tools/call", tool).add("x-tenant-id", tenant);
      outcomes.add(send(web, gatewayUrl("/mcp"), caller, tool, headers, body, id));
      pause();
    }
  }

  /**
   * A session-based client of one tenant on the virtual server {@code mixed} (steady, flaky and
   * hostile): initialize, a few calls, then DELETE; every fifth session is abandoned instead, for
   * the idle sweep to end.
   */
  private void sessions(WebClient web, String tenant, AtomicBoolean running) {
    String caller = "session/" + tenant;
    String url = gatewayUrl("/v/mixed/mcp");
    int round = 0;
    while (running.get()) {
      round++;
      long initId = ids.incrementAndGet();
      JsonObject init = new JsonObject().put("jsonrpc", "2.0").put("id", initId).put("method", "initialize")
          .put("params", new JsonObject().put("protocolVersion", V).put("capabilities", new JsonObject())
              .put("clientInfo", new JsonObject().put("name", "chaos").put("version", "1")));
      MultiMap headers = RawMcp.postHeaders().add("x-tenant-id", tenant);
      Outcome opened = send(web, url, caller, "initialize", headers, init, initId);
      outcomes.add(opened);
      String session = opened.detail().startsWith("session ") ? opened.detail().substring(8) : null;
      if (session == null) {
        pause();
        continue;
      }
      MultiMap inSession = RawMcp.sessionHeaders(session, V).add("x-tenant-id", tenant);
      raw(web, url, HttpMethod.POST, inSession,
          new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
      for (int i = 0; i < 4 && running.get(); i++) {
        String tool = i % 2 == 0 ? "steady_echo" : faulty(false);
        long id = ids.incrementAndGet();
        JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
            .put("params", new JsonObject().put("name", tool).put("arguments", arguments(tool)));
        outcomes.add(send(web, url, caller, tool, inSession, call, id));
        pause();
      }
      if (round % 5 != 0 || !running.get()) {
        long start = System.nanoTime();
        int status = raw(web, url, HttpMethod.DELETE, inSession, null);
        outcomes.add(new Outcome(caller, "delete", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
            status == 200 ? Verdict.RESULT : Verdict.BROKEN, status, "DELETE " + session));
      }
    }
  }

  private static void pause() {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(50, 150)));
  }

  private String gatewayUrl(String path) {
    return gateway.url(path);
  }

  /** Sends without judging; returns the status (or -1). */
  private static int raw(WebClient web, String url, HttpMethod method, MultiMap headers, JsonObject body) {
    try {
      var req = web.requestAbs(method, url).putHeaders(headers);
      return (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body.encode())))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).statusCode();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      return -1;
    }
  }

  /** Sends one request and judges its answer, giving up (HUNG) well after the call's bound. */
  private static Outcome send(WebClient web, String url, String caller, String target, MultiMap headers,
      JsonObject body, long id) {
    long give = target.equals("initialize") ? bound("hostile") : bound(target);
    long start = System.nanoTime();
    HttpResponse<Buffer> resp;
    try {
      resp = web.postAbs(url).putHeaders(headers).sendBuffer(Buffer.buffer(body.encode()))
          .toCompletionStage().toCompletableFuture().get(give + 10_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Outcome(caller, target, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Verdict.HUNG, 0,
          "no answer");
    } catch (InterruptedException | ExecutionException e) {
      return new Outcome(caller, target, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Verdict.BROKEN,
          0, "transport: " + e.getCause());
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String text = resp.bodyAsString() == null ? "" : resp.bodyAsString();
    List<JsonObject> messages = new ArrayList<>();
    try {
      String type = String.valueOf(resp.getHeader("Content-Type"));
      if (type.startsWith("text/event-stream")) {
        new SseParser(e -> messages.add(new JsonObject(e.data()))).handle(Buffer.buffer(text));
      } else if (type.startsWith("application/json")) {
        messages.add(new JsonObject(text));
      }
    } catch (RuntimeException e) {
      messages.clear();
    }
    JsonObject answer = messages.stream().filter(m -> m.containsKey("result") || m.containsKey("error"))
        .reduce((a, b) -> b).orElse(null);
    String shown = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    if (answer == null || !Long.valueOf(id).equals(answer.getLong("id"))) {
      return new Outcome(caller, target, ms, Verdict.BROKEN, resp.statusCode(), shown);
    }
    if (answer.containsKey("error")) {
      JsonObject error = answer.getJsonObject("error");
      return new Outcome(caller, target, ms, Verdict.ERROR, resp.statusCode(),
          error.getInteger("code") + " " + error.getString("message"));
    }
    JsonObject result = answer.getJsonObject("result");
    if (target.equals("initialize")) {
      String session = resp.getHeader("Mcp-Session-Id");
      return new Outcome(caller, target, ms, session == null ? Verdict.BROKEN : Verdict.RESULT, resp.statusCode(),
          "session " + session);
    }
    if (target.startsWith("steady") && !"steady".equals(result.getString("server"))) {
      return new Outcome(caller, target, ms, Verdict.BROKEN, resp.statusCode(), shown);
    }
    return new Outcome(caller, target, ms, Verdict.RESULT, resp.statusCode(),
        result.getBoolean("isError", false) ? "isError" : "ok");
  }

  // ---------------------------------------------------------------- checks

  private void checkCalls() {
    List<Outcome> all = List.copyOf(outcomes);
    Map<String, Long> summary = all.stream().collect(Collectors.groupingBy(
        o -> o.target().replaceFirst("_.*", "") + " " + o.verdict(), TreeMap::new, Collectors.counting()));
    LOG.info("{} calls, {} kills, {} restarts, {} failing spells: {}", all.size(), kills, restarts, failingSpells,
        summary);
    all.stream().collect(Collectors.groupingBy(Outcome::target, TreeMap::new, Collectors.toList()))
        .forEach((target, list) -> LOG.info("{}: {} calls, longest {} ms (bound {} ms), {}", target, list.size(),
            list.stream().mapToLong(Outcome::ms).max().orElse(0), target.contains("_") ? bound(target) : "-",
            list.stream().collect(Collectors.groupingBy(
                o -> o.verdict() + " " + o.detail().replaceFirst("^(session|DELETE) .*", "$1"),
                TreeMap::new, Collectors.counting()))));

    List<Outcome> healthyFailed = all.stream()
        .filter(o -> o.healthy() && (o.verdict() != Verdict.RESULT || o.status() != 200)).toList();
    assertThat(healthyFailed).as("calls to the healthy upstream that failed (of %d)",
        all.stream().filter(Outcome::healthy).count()).isEmpty();

    List<Outcome> faultyBad = all.stream().filter(o -> !o.healthy())
        .filter(o -> o.verdict() == Verdict.BROKEN || o.verdict() == Verdict.HUNG || o.ms() > bound(o.target())
            || o.status() != 200)
        .toList();
    assertThat(faultyBad).as("calls to faulty upstreams that did not end with a JSON-RPC answer within their bound")
        .isEmpty();

    // the chaos happened: enough load, and every kind of fault was met
    assertThat(all.stream().filter(o -> o.target().equals("steady_echo")).count()).isGreaterThan(200);
    assertThat(kills).isGreaterThanOrEqualTo(8);
    assertThat(restarts).isGreaterThanOrEqualTo(3);
    for (String upstream : List.of("flaky", "hostile", "crashy")) {
      assertThat(all.stream().filter(o -> o.target().startsWith(upstream) && o.verdict() == Verdict.ERROR).count())
          .as("calls to %s that ended in an error", upstream).isPositive();
    }
  }

  /** Waits until nothing is left of the load, then checks it (failing with what is left). */
  private void settle(String when) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    String left = leftovers();
    while (left != null && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
      left = leftovers();
    }
    assertThat(left).as("left over " + when).isNull();
  }

  /** What is still open, or null. */
  private String leftovers() {
    List<String> left = new ArrayList<>();
    JsonObject view = pool.send(HttpMethod.GET,
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + Admin.TOKEN), null).last();
    if (view.getInteger("sessionCount") != 0 || view.getInteger("keyCount") != 0) {
      left.add("pool " + view.encode());
    }
    String metrics = admin.metrics();
    for (String gauge : GAUGES) {
      double value = sum(metrics, gauge) - zero.get(gauge);
      if (value != 0) {
        left.add(gauge + " " + value);
      }
    }
    List<ProcessHandle> processes = stdioServers();
    if (!processes.isEmpty()) {
      left.add("stdio servers " + processes.stream().map(ProcessHandle::pid).toList());
    }
    if (steady.liveSessions() + flaky.liveSessions() + hostile.liveSessions() != 0) {
      left.add("upstream sessions steady=" + steady.liveSessions() + " flaky=" + flaky.liveSessions()
          + " hostile=" + hostile.liveSessions() + " (" + metrics.lines()
          .filter(l -> l.startsWith("junction_upstream_deletes_total{")).collect(Collectors.joining(", ")) + ")");
    }
    if (steady.openConnections() + flaky.openConnections() + hostile.openConnections() != 0) {
      left.add("upstream connections steady=" + steady.openConnections() + " flaky=" + flaky.openConnections()
          + " hostile=" + hostile.openConnections());
    }
    return left.isEmpty() ? null : String.join("; ", left);
  }

  /** The sum of a meter's samples over all of its tags. */
  private static double sum(String prometheus, String meter) {
    return prometheus.lines()
        .filter(l -> l.startsWith(meter + "{") || l.startsWith(meter + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private void checkFootprint(Footprint before, Footprint after) {
    assertThat(after.fds().getOrDefault("pipe", 0L)).as("pipes (stdio processes hold three each): %s -> %s",
        before, after).isLessThanOrEqualTo(before.fds().getOrDefault("pipe", 0L));
    assertThat(after.fdTotal()).as("open file descriptors: %s -> %s", before, after)
        .isLessThanOrEqualTo(before.fdTotal() + FD_SLACK);
    assertThat(after.heap()).as("live heap: %s -> %s", before, after)
        .isLessThanOrEqualTo((long) (before.heap() * 1.10));
  }

  /** This test's SDK stdio servers running as descendants of this JVM (their command line read from /proc). */
  private static List<ProcessHandle> stdioServers() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
      try {
        String cmdline = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
        List<String> args = List.of(cmdline.split("\0"));
        return args.contains(SdkStdioServer.class.getName()) && args.get(args.size() - 1).equals("crashy");
      } catch (IOException | RuntimeException gone) {
        return false;
      }
    }).toList();
  }

  /** This JVM's open file descriptors by kind, and its live heap. */
  record Footprint(Map<String, Long> fds, long heap) {
    long fdTotal() {
      return fds.values().stream().mapToLong(Long::longValue).sum();
    }

    static Footprint measure() {
      long heap = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        System.gc();
        heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      return new Footprint(openFds(), heap);
    }

    /** Kinds: socket, pipe, anon_inode (epoll, eventfd), jar, other files. */
    static Map<String, Long> openFds() {
      try (Stream<Path> all = Files.list(Path.of("/proc/self/fd"))) {
        return all.map(fd -> {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe"
                : target.startsWith("anon_inode:") ? "anon_inode" : target.endsWith(".jar") ? "jar" : "file";
          } catch (IOException gone) {
            return "gone";
          }
        }).filter(kind -> !kind.equals("gone")).collect(Collectors.groupingBy(k -> k, TreeMap::new,
            Collectors.counting()));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public String toString() {
      return "fds " + fds + " (" + fdTotal() + "), heap " + heap / 1024 + " KiB";
    }
  }
}
