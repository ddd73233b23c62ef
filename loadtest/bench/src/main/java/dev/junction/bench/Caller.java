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
        .compose(r -> r.statusCode() == 200 && !r.bodyAsString().contains("\"error\"")
            ? Future.succeededFuture(r) : Future.failedFuture("HTTP " + r.statusCode() + ": " + r.bodyAsString()));
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

  @Override
  public void close() {
    vertx.close().await();
  }
}
