package dev.junction.ingress;

import dev.junction.config.LimitsOptions;
import dev.junction.metrics.JunctionMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client connections of one ingress instance, and the limits on them:
 * <ul>
 * <li>a connection that has not sent a whole request head {@code limits.headerReadTimeout} after
 * opening is closed (slow heads);</li>
 * <li>a connection with no request in flight for {@code limits.idleTimeout} is closed. A request
 * is in flight until its response has ended, so an open GET stream or an SSE answer is never
 * idle, however long it stays silent between keep-alive comments (Vert.x's own idle timeout
 * counts silence, and would cut them);</li>
 * <li>a request framed by {@code Transfer-Encoding} is answered with {@code Connection: close},
 * and nothing after it on that connection is handled. Netty drops the {@code Content-Length} of a
 * request that has both, so a conflict cannot be told apart from plain chunking; RFC 9112 6.1
 * asks for the close in the conflicting case, and closing after every chunked request covers it.</li>
 * </ul>
 * One timer per instance sweeps all connections a few times per timeout, instead of a timer per
 * connection; a request costs one map lookup. Owned by the ingress context.
 */
final class Connections {
  /** One connection's state. */
  private static final class Conn {
    final long opened;
    /** Responses of the requests handled so far whose end has not been seen yet. */
    final List<HttpServerResponse> inFlight = new ArrayList<>(1);
    boolean headSeen;
    /** When the sweep first saw nothing in flight (0: something is). */
    long idleSince;
    /** Answer what is in flight, then close; handle nothing more. */
    boolean closing;

    Conn(long opened) {
      this.opened = opened;
    }
  }

  private final JunctionMetrics metrics;
  private final long headerTimeoutMs;
  private final long idleTimeoutMs;
  private final Map<HttpConnection, Conn> open = new HashMap<>();

  Connections(Vertx vertx, LimitsOptions limits, JunctionMetrics metrics) {
    this.metrics = metrics;
    this.headerTimeoutMs = limits.headerReadTimeoutMs();
    this.idleTimeoutMs = limits.idleTimeoutMs();
    long period = Math.max(50, Math.min(1_000, Math.min(headerTimeoutMs, idleTimeoutMs) / 4));
    vertx.setPeriodic(period, t -> sweep());
  }

  /** A new connection (the server's connection handler). */
  void opened(HttpConnection connection) {
    open.put(connection, new Conn(System.currentTimeMillis()));
    connection.closeHandler(v -> open.remove(connection));
  }

  /**
   * A request head arrived. Returns false when the request must not be handled: its connection
   * is being closed after a request framed by Transfer-Encoding.
   */
  boolean admit(HttpServerRequest req) {
    Conn conn = open.get(req.connection());
    if (conn == null) {
      return true;
    }
    if (conn.closing) {
      req.connection().close();
      return false;
    }
    conn.headSeen = true;
    conn.idleSince = 0;
    prune(conn);
    HttpServerResponse response = req.response();
    conn.inFlight.add(response);
    if (req.version() != HttpVersion.HTTP_2 && req.headers().contains("Transfer-Encoding")) {
      conn.closing = true;
      response.putHeader("Connection", "close");
    }
    return true;
  }

  private static void prune(Conn conn) {
    conn.inFlight.removeIf(r -> r.ended() || r.closed());
  }

  private void sweep() {
    if (open.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    List<HttpConnection> slow = null;
    List<HttpConnection> idle = null;
    List<HttpConnection> done = null;
    for (Map.Entry<HttpConnection, Conn> e : open.entrySet()) {
      Conn conn = e.getValue();
      if (!conn.headSeen) {
        if (now - conn.opened >= headerTimeoutMs) {
          slow = add(slow, e.getKey());
        }
        continue;
      }
      prune(conn);
      if (!conn.inFlight.isEmpty()) {
        conn.idleSince = 0;
      } else if (conn.closing) {
        done = add(done, e.getKey());
      } else if (conn.idleSince == 0) {
        conn.idleSince = now;
      } else if (now - conn.idleSince >= idleTimeoutMs) {
        idle = add(idle, e.getKey());
      }
    }
    // closed after the loop: a close handler may run at once and edit the map
    close(slow, "header");
    close(idle, "idle");
    close(done, null);
  }

  private static List<HttpConnection> add(List<HttpConnection> list, HttpConnection c) {
    List<HttpConnection> l = list == null ? new ArrayList<>() : list;
    l.add(c);
    return l;
  }

  private void close(List<HttpConnection> connections, String reason) {
    if (connections == null) {
      return;
    }
    for (HttpConnection c : connections) {
      open.remove(c);
      c.close();
      if (reason != null) {
        metrics.connectionTimedOut(reason);
      }
    }
  }
}
