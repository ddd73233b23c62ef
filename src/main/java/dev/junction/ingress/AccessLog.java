package dev.junction.ingress;

import dev.junction.config.JunctionConfig;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.routing.Endpoint;
import dev.junction.routing.Routes;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The access log and request timer of the MCP endpoints: one line per request when its response
 * has ended. Never the body, the headers or the session id; the tenant only as a short prefix of
 * its hash. Its fields are key-value pairs too ({@code http_method}, {@code path}, {@code rpc_method},
 * {@code tool}, {@code upstream}, {@code status}, {@code duration_us}, {@code tenant}, {@code trace_id},
 * {@code span_id}), which JSON lines show as fields. Runs on the ingress context.
 */
final class AccessLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("junction.access");

  /** What one request's line will say; filled in as the request is understood. */
  static final class Entry {
    /** The JSON-RPC method, once parsed; null for GET and DELETE, or when the body had none. */
    String method;
    /** The tenant key, once the request is authenticated. */
    String tenant;
    /** The tool a tools/call names, as the client sent it. */
    String tool;
    /** The gateway hop's W3C traceparent, when the request carried or started a trace. */
    String traceparent;
  }

  private final JunctionMetrics metrics;
  private final Routes routes;

  AccessLog(JunctionMetrics metrics, JunctionConfig config) {
    this.metrics = metrics;
    this.routes = new Routes(config);
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
      String label = JunctionMetrics.methodLabel(method);
      String shortTenant = tenant.substring(0, Math.min(8, tenant.length()));
      LoggingEventBuilder line = ACCESS.atInfo()
          .setMessage("{} {} {} {} {}us tenant={}")
          .addArgument(req.method().name()).addArgument(endpoint.path()).addArgument(label).addArgument(status)
          .addArgument(nanos / 1_000).addArgument(shortTenant)
          .addKeyValue("http_method", req.method().name()).addKeyValue("path", endpoint.path())
          .addKeyValue("rpc_method", label).addKeyValue("status", status).addKeyValue("duration_us", nanos / 1_000)
          .addKeyValue("tenant", shortTenant);
      String tool = entry.tool;
      if (tool != null) {
        line.addKeyValue("tool", tool);
      }
      String upstream = upstream(endpoint, tool);
      if (upstream != null) {
        line.addKeyValue("upstream", upstream);
      }
      String traceparent = entry.traceparent;
      if (traceparent != null && traceparent.length() == 55) {
        line.addKeyValue("trace_id", traceparent.substring(3, 35))
            .addKeyValue("span_id", traceparent.substring(36, 52));
      }
      line.log();
    }
  }

  /** The upstream a request went to: the endpoint's own server, or the one a prefixed tool name names. */
  private String upstream(Endpoint endpoint, String tool) {
    if (!endpoint.prefixed()) {
      return endpoint.server();
    }
    Routes.Target target = tool == null ? null : routes.resolve(endpoint, tool);
    return target == null ? null : target.upstream();
  }
}
