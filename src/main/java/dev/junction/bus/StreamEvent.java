package dev.junction.bus;

import io.vertx.core.json.JsonObject;

/**
 * A JSON-RPC message to write on a downstream SSE stream: a progress or logging notification, or
 * a server-to-client request.
 *
 * @param exchange the exchange it is for (see {@link dev.junction.bus.Addresses#exchange})
 */
public record StreamEvent(String exchange, JsonObject message) implements BusMessage {
}
