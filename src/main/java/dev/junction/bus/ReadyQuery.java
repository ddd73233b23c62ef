package dev.junction.bus;

/** Ingress asks whether the gateway is ready; the reply is a {@code dev.junction.bus.Readiness}. */
public record ReadyQuery() implements BusMessage {
}
