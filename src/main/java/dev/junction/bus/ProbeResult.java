package dev.junction.bus;

/** A shard's answer to a probe: the check chain passed, or how it failed. */
public record ProbeResult(boolean ok, boolean disconnected, String detail) implements BusMessage {
}
