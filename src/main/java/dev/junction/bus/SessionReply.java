package dev.junction.bus;

/** A pool shard's answer to a {@link SessionCommand} that asks for one (open a stream, end a session). */
public record SessionReply(Status status) implements BusMessage {
  /** How the command went. */
  public enum Status {
    /** Done. */
    OK,
    /** No such session for this tenant (another tenant's is as unknown as a missing one). */
    UNKNOWN_SESSION,
    /** The session already has a GET stream. */
    STREAM_CONFLICT
  }

  public static final SessionReply OK = new SessionReply(Status.OK);
  public static final SessionReply UNKNOWN = new SessionReply(Status.UNKNOWN_SESSION);
  public static final SessionReply CONFLICT = new SessionReply(Status.STREAM_CONFLICT);
}
