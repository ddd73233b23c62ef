package dev.junction.health;

/** A shard asks to send the one probe call a half-open circuit allows; the reply is a Boolean. */
public record ProbeRequest(String upstream) {
}
