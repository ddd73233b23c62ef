package dev.junction.bus;

import io.vertx.core.json.JsonObject;

/**
 * The OAuth verticle's answer to an {@link Introspect}: whether the token is active, with its
 * claims (RFC 7662), or that the introspection endpoint could not answer, which is not a "no".
 */
public record IntrospectReply(Status status, JsonObject claims) implements BusMessage {
  /** How the introspection went. */
  public enum Status {
    /** The authorization server says the token is active; {@code claims} are its answer. */
    ACTIVE,
    /** The token is not active, or nothing can check it (no endpoint). */
    INACTIVE,
    /** The endpoint could not be asked or did not answer properly. */
    UNAVAILABLE
  }

  public IntrospectReply {
    claims = claims == null ? new JsonObject() : claims;
  }

  /** The endpoint's answer: active or not, with its claims. */
  public static IntrospectReply answered(boolean active, JsonObject claims) {
    return new IntrospectReply(active ? Status.ACTIVE : Status.INACTIVE, claims);
  }

  /** The endpoint could not answer. */
  public static IntrospectReply unavailable() {
    return new IntrospectReply(Status.UNAVAILABLE, null);
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }
}
