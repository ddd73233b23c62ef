package dev.junction.bus;

import io.vertx.core.json.JsonObject;

/** The health verticle's view of every upstream, by name; built for this reply only. */
public record UpstreamsView(JsonObject upstreams) implements BusMessage {
}
