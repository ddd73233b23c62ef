package dev.junction.bus;

/** Ingress asks for the health view of every upstream (admin); the reply is an {@link UpstreamsView}. */
public record UpstreamsQuery() implements BusMessage {
}
