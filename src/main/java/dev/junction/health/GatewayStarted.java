package dev.junction.health;

/** Sent by the launcher once every verticle is deployed and the listeners are up. */
public record GatewayStarted() {
}
