package dev.junction.bus;

import io.vertx.core.json.JsonObject;

/** The OAuth verticle's answer to an introspection: whether the token is active, and its claims (RFC 7662). */
public record Introspection(boolean active, JsonObject claims) implements BusMessage {
}
