package dev.junction.bus;


/** The inbound issuer's current signature keys, published by the OAuth verticle (immutable, shared). */
public record InboundKeys(KeySet keys) implements BusMessage {
}
