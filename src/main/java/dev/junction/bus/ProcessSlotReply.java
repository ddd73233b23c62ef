package dev.junction.bus;

/** The health verticle's answer to a {@link ProcessSlot} request: whether a process may start. */
public record ProcessSlotReply(boolean granted) implements BusMessage {
}
