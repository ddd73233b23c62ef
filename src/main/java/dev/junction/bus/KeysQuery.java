package dev.junction.bus;

/**
 * An ingress asks for the current inbound keys; {@code kid} names a key a token used that the
 * ingress does not know (null when it just starts). The reply is an {@code InboundKeys}.
 */
public record KeysQuery(String kid) implements BusMessage {
}
