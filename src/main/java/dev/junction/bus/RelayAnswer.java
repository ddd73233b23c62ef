package dev.junction.bus;

/**
 * A shard's {@link RelayReply} to a {@link RelayRequest} that came as a one-way send: it goes to
 * the exchange's ingress instance on the address its {@link StreamEvent}s take, after them.
 *
 * @param exchange the exchange it answers (see {@link Addresses#exchange})
 * @param reply the reply
 */
public record RelayAnswer(String exchange, RelayReply reply) implements BusMessage {
}
