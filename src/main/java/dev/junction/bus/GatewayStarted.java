package dev.junction.bus;

/** Sent by the launcher once every verticle is deployed and the listeners are up. */
public record GatewayStarted() implements BusMessage {
}
