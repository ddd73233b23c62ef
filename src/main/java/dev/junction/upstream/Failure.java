package dev.junction.upstream;

/**
 * Why a transport could not deliver an answer. The session layer turns each into the client's
 * error and the health verticle into a state: only {@link #DISCONNECTED} and {@link #UNAVAILABLE}
 * count against an upstream; an expired session is the upstream's lifecycle, not a fault.
 */
public enum Failure {
  /** The upstream could not be reached at all: connection refused or reset, process gone. */
  DISCONNECTED,
  /** The upstream was reached but gave no usable answer: an HTTP error status, a broken or oversized body. */
  UNAVAILABLE,
  /** The upstream no longer knows the session (HTTP 404 on a session request). */
  EXPIRED,
  /** The upstream refused the gateway's credentials (HTTP 401). */
  UNAUTHORIZED;

  /** How a request that got no answer failed: nothing answered at all (refused, reset, timed out connecting), or else. */
  public static Failure of(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof io.netty.channel.ConnectTimeoutException
          || t instanceof io.vertx.core.http.HttpClosedException || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.net.SocketException) {
        return DISCONNECTED;
      }
    }
    return UNAVAILABLE;
  }
}
