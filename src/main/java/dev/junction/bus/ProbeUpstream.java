package dev.junction.bus;

/** The health verticle asks the upstream's probe shard to check it; the reply is a {@code ProbeResult}. */
public record ProbeUpstream(String upstream) implements BusMessage {
}
