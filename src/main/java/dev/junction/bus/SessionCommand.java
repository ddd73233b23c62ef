package dev.junction.bus;

/**
 * A session-level command from ingress to the shard that owns the session.
 *
 * @param kind what to do
 * @param sessionId the downstream session (for {@link Kind#CANCEL_EXCHANGE} of a stateless call, null)
 * @param tenantKey the tenant making the request; a session of another tenant is "not found"
 * @param address the GET stream address, or the exchange to cancel
 */
public record SessionCommand(Kind kind, String sessionId, String tenantKey, String address) implements BusMessage {

  /** The commands. */
  public enum Kind {
    /** A GET stream opened: server-initiated messages go to {@code address}. */
    OPEN_STREAM,
    /** The GET stream at {@code address} closed. */
    CLOSE_STREAM,
    /** DELETE: end the session and close its upstream sessions. */
    END_SESSION,
    /** The downstream side of exchange {@code address} went away: cancel its upstream call. */
    CANCEL_EXCHANGE
  }
}
