package dev.junction.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The load generator: stateless (2026-07-28) tools/call requests, one JSON-RPC message per POST,
 * on its own Vert.x instance. The calling thread only waits; the requests run on Vert.x.
 */
final class Caller implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(256));

  /** One stateless tools/call; {@code headers} may add identity headers. */
  Future<HttpResponse<Buffer>> call(String url, String tool, JsonObject arguments, MultiMap headers) {
    JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject());
    JsonObject body = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", arguments).put("_meta", meta));
    return client.postAbs(url)
        .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream")
        .putHeader("MCP-Protocol-Version", "2026-07-28").putHeader("Mcp-Method", "tools/call").putHeader("Mcp-Name", tool)
        .putHeaders(headers)
        .sendBuffer(body.toBuffer())
        .compose(Caller::succeeded);
  }

  /** One stateless tools/call (text "hi") from a tenant named in {@code x-tenant-id}. */
  Future<HttpResponse<Buffer>> tenantCall(String url, String tenant, String tool) {
    return call(url, tool, new JsonObject().put("text", "hi"), tenant(tenant));
  }

  /** A session-based session of a tenant named in {@code x-tenant-id}, which makes one tools/call; its id. */
  Future<String> openAndCall(String url, String tenant, String tool) {
    return open(url, tenant(tenant)).compose(session -> sessionCall(url, session, tenant(tenant), tool,
        new JsonObject().put("text", "hi")).map(session));
  }

  private static MultiMap tenant(String tenant) {
    return MultiMap.caseInsensitiveMultiMap().add("x-tenant-id", tenant);
  }

  /**
   * {@code n} calls one after another (closed loop, one in flight); latencies in microseconds.
   * {@code call} builds the i-th call.
   */
  Histogram sequential(int n, IntFunction<Future<?>> call) {
    Histogram h = new Histogram(60_000_000L, 3);
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      call.apply(i).await();
      h.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
    }
    return h;
  }

  /** Opens a session-based session (2025-11-25) on an endpoint; returns its id. */
  String initialize(String url) {
    return open(url, MultiMap.caseInsensitiveMultiMap()).await();
  }

  /**
   * Opens a session-based session (2025-11-25): initialize, then notifications/initialized. The
   * {@code headers} (e.g. an identity header) go on both, as on every later request of the session.
   */
  Future<String> open(String url, MultiMap headers) {
    JsonObject init = new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "bench").put("version", "1")));
    return post(url, headers).sendBuffer(init.toBuffer()).compose(r -> {
      String session = r.getHeader("Mcp-Session-Id");
      return session(url, session, headers)
          .sendBuffer(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized").toBuffer())
          .map(session);
    });
  }

  /** One tools/call in a session. */
  Future<HttpResponse<Buffer>> sessionCall(String url, String session, String tool, JsonObject arguments) {
    return sessionCall(url, session, MultiMap.caseInsensitiveMultiMap(), tool, arguments);
  }

  /** One tools/call in a session, with the session's extra headers. */
  Future<HttpResponse<Buffer>> sessionCall(String url, String session, MultiMap headers, String tool,
      JsonObject arguments) {
    JsonObject body = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", arguments));
    return session(url, session, headers).sendBuffer(body.toBuffer()).compose(Caller::succeeded);
  }

  private io.vertx.ext.web.client.HttpRequest<Buffer> post(String url, MultiMap headers) {
    return client.postAbs(url).putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json, text/event-stream").putHeaders(headers);
  }

  private io.vertx.ext.web.client.HttpRequest<Buffer> session(String url, String session, MultiMap headers) {
    return post(url, headers).putHeader("Mcp-Session-Id", session).putHeader("MCP-Protocol-Version", "2025-11-25");
  }

  private static Future<HttpResponse<Buffer>> succeeded(HttpResponse<Buffer> r) {
    return r.statusCode() == 200 && !r.bodyAsString().contains("\"error\"")
        ? Future.succeededFuture(r) : Future.failedFuture("HTTP " + r.statusCode() + ": " + r.bodyAsString());
  }

  /** How many tasks failed, and the first failure's message (null when none failed). */
  record Failures(int count, String first) {
  }

  /** The state of one {@link #concurrently} run; touched only on this caller's event loop. */
  private static final class Batch {
    int next;
    int finished;
    int failed;
    String first;
  }

  /**
   * {@code n} tasks, {@code concurrency} of them in flight at a time; {@code task} builds the i-th.
   * A failed task is counted and the others go on.
   */
  Failures concurrently(int n, int concurrency, IntFunction<Future<?>> task) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Batch batch = new Batch();
    vertx.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, n); i++) {
        next(task, n, batch, done);
      }
    });
    done.future().await();
    return new Failures(batch.failed, batch.first);
  }

  private void next(IntFunction<Future<?>> task, int n, Batch batch, io.vertx.core.Promise<Void> done) {
    if (batch.next >= n) {
      return;
    }
    task.apply(batch.next++).onComplete(ar -> {
      if (ar.failed() && batch.failed++ == 0) {
        batch.first = ar.cause().getMessage();
      }
      if (++batch.finished == n) {
        done.tryComplete();
      }
      next(task, n, batch, done);
    });
  }

  /** Closed loop: {@code concurrency} calls always in flight for {@code millis}; returns calls per second. */
  double saturate(long millis, int concurrency, java.util.function.Supplier<Future<?>> call) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long[] completed = {0};
    int[] running = {concurrency};
    long end = System.nanoTime() + millis * 1_000_000L;
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < concurrency; i++) {
        loop(call, end, completed, running, done);
      }
    });
    done.future().await();
    return completed[0] / ((System.nanoTime() - start) / 1e9);
  }

  private void loop(java.util.function.Supplier<Future<?>> call, long end, long[] completed, int[] running,
      io.vertx.core.Promise<Void> done) {
    if (System.nanoTime() >= end) {
      if (--running[0] == 0) {
        done.tryComplete();
      }
      return;
    }
    call.get().onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      completed[0]++;
      loop(call, end, completed, running, done);
    });
  }

  /**
   * Open loop: {@code rate} calls per second for {@code millis}, each timed from its intended send
   * time (so a stall delays the schedule's later calls and shows in their latency, not hidden by it).
   */
  Histogram openLoop(int rate, long millis, java.util.function.Supplier<Future<?>> call) {
    Histogram h = new Histogram(60_000_000L, 3);
    long interval = 1_000_000_000L / rate;
    long total = rate * millis / 1_000;
    long t0 = System.nanoTime() + 5_000_000;
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long[] sent = {0};
    long[] received = {0};
    vertx.setPeriodic(1, timer -> {
      long now = System.nanoTime();
      while (sent[0] < total && t0 + sent[0] * interval <= now) {
        long intended = t0 + sent[0] * interval;
        sent[0]++;
        call.get().onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          h.recordValue(Math.max(1, (System.nanoTime() - intended) / 1_000));
          if (++received[0] == total) {
            done.tryComplete();
          }
        });
      }
      if (sent[0] >= total) {
        vertx.cancelTimer(timer);
      }
    });
    done.future().await();
    return h;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
