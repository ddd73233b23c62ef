/**
 * Ingress: the HTTP server. Each {@link dev.junction.ingress.IngressVerticle} instance owns the
 * exchanges and downstream streams of the connections its event loop accepted; it reaches pool
 * shards only through the event bus.
 */
package dev.junction.ingress;
