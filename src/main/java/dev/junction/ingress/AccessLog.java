package dev.junction.ingress;

import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log and request timer of the MCP endpoints: one line per request when its response
 * has ended. Never the body, the headers or the session id; the tenant only as a short prefix of
 * its hash. Runs on the ingress context.
 */
final class AccessLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("junction.access");

  /** What one request's line will say; filled in as the request is understood. */
  static final class Entry {
    /** The JSON-RPC method, once parsed; null for GET and DELETE, or when the body had none. */
    String method;
    /** The tenant key, once the request is authenticated. */
    String tenant;
    /** The gateway hop's W3C traceparent, when the request carried or started a trace. */
    String traceparent;
  }

  private final JunctionMetrics metrics;

  AccessLog(JunctionMetrics metrics) {
    this.metrics = metrics;
  }

  /** Starts the entry of a request; it is logged and timed when the response ends. */
  Entry begin(HttpServerRequest req, Endpoint endpoint) {
    HttpServerResponse resp = req.response();
    long start = System.nanoTime();
    Entry entry = new Entry();
    resp.endHandler(v -> logged(req, endpoint, entry, resp.getStatusCode(), System.nanoTime() - start));
    return entry;
  }

  private void logged(HttpServerRequest req, Endpoint endpoint, Entry entry, int status, long nanos) {
    String method = entry.method;
    String outcome = status < 300 ? "ok" : status < 500 ? "client_error" : "server_error";
    metrics.request(method, endpoint.kind().label(), outcome, nanos);
    if (ACCESS.isInfoEnabled()) {
      String tenant = entry.tenant == null ? "-" : entry.tenant;
      ACCESS.info("{} {} {} {} {}us tenant={}", req.method().name(), endpoint.path(),
          JunctionMetrics.methodLabel(method), status, nanos / 1_000,
          tenant.substring(0, Math.min(8, tenant.length())));
    }
  }
}
