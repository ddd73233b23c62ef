package dev.junction.health;

/** Ingress asks whether the gateway is ready; the reply is a {@code dev.junction.ingress.Readiness}. */
public record ReadyQuery() {
}
