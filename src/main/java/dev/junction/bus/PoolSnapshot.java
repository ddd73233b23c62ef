package dev.junction.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A shard's answer to an admin query: its pool keys (hashed) and sessions, and the newest stderr
 * lines of its stdio processes by upstream, built for this reply only.
 */
public record PoolSnapshot(int shard, JsonArray keys, JsonObject stderr) implements BusMessage {
}
