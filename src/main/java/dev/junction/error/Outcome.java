package dev.junction.error;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * How one request to an upstream ended: the gateway's one vocabulary for it. Transports report
 * the failures they see, the session layer adds its own (timeouts, cancels), the pool decides from
 * {@link #fault()} whether the upstream's health suffers, and {@link #error()} names what a client
 * is told when no upstream answer can be relayed.
 *
 * <p>Only the upstream's own faults count against its health: a 5xx, a broken body, a transport
 * fault, a timeout, a dead process. What a request causes by itself (an upstream's 4xx refusal),
 * what a client does (ending its session, cancelling) and what the gateway decides (closing an
 * idle session, refusing at the circuit) belong to that request alone.
 */
public enum Outcome {
  /** A result. */
  OK,
  /** The upstream's own JSON-RPC error: an answer, not a fault. */
  ERROR,
  /** The upstream refused this request with an HTTP 4xx (400, 404, 413, 422, 429 ...): the request's own doing. */
  REJECTED,
  /** No answer within the request timeout. */
  TIMEOUT,
  /** Reached, but no usable answer: an HTTP 5xx, a broken or oversized body. */
  UNAVAILABLE,
  /** Not reached: connection refused or reset, process gone. */
  DISCONNECTED,
  /** The upstream no longer knew the session (HTTP 404 on a session request); a fresh session may succeed. */
  EXPIRED,
  /** The upstream refused the gateway's credentials (HTTP 401); renewed credentials may succeed. */
  UNAUTHORIZED,
  /** The client or the gateway ended it: a cancel, a session ended by its client, a session the gateway closed. */
  CANCELLED,
  /** The gateway turned it away before it reached the upstream (circuit open, limits). */
  REFUSED;

  /** Counts against the upstream's health. */
  public boolean fault() {
    return this == TIMEOUT || this == UNAVAILABLE || this == DISCONNECTED;
  }

  /** The upstream answered: its health is good whatever the answer said. */
  public boolean answered() {
    return this == OK || this == ERROR;
  }

  /** The metrics label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What the client is told when the request ended this way without an upstream answer to relay. */
  public JunctionError error() {
    return switch (this) {
      case TIMEOUT -> JunctionError.UPSTREAM_TIMEOUT;
      case REJECTED -> JunctionError.UPSTREAM_REJECTED;
      case CANCELLED -> JunctionError.CANCELLED;
      default -> JunctionError.UPSTREAM_UNAVAILABLE;
    };
  }

  /**
   * How a request that got no HTTP response failed: nothing answered at all (refused, reset,
   * timed out connecting), or else.
   */
  public static Outcome ofTransport(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ConnectTimeoutException || t instanceof HttpClosedException
          || t instanceof ClosedChannelException || t instanceof SocketException) {
        return DISCONNECTED;
      }
    }
    return UNAVAILABLE;
  }

  /**
   * How an HTTP error status ends a request. A 4xx is the upstream judging this request (RFC 9110
   * 15.5), so it is {@link #REJECTED}, except 401 (credentials: {@link #UNAUTHORIZED}) and 408 (the
   * upstream timed out reading it). A 5xx is the upstream's own fault (RFC 9110 15.6).
   */
  public static Outcome ofStatus(int status) {
    if (status == 401) {
      return UNAUTHORIZED;
    }
    if (status == 408) {
      return TIMEOUT;
    }
    return status >= 400 && status < 500 ? REJECTED : UNAVAILABLE;
  }
}
