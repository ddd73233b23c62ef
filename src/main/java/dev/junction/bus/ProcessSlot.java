package dev.junction.bus;

/**
 * A shard asks for a slot before it starts a process for a stdio upstream (the reply is a
 * Boolean: false when the upstream's {@code maxProcesses} are running), and gives the slot back
 * when the process has exited.
 */
public record ProcessSlot(String upstream, boolean take) implements BusMessage {
}
