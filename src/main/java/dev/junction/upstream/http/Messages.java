package dev.junction.upstream.http;

import dev.junction.jsonrpc.Envelope;
import dev.junction.jsonrpc.JsonBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reading the JSON-RPC messages of a Streamable HTTP upstream's SSE events and bodies. Pure, but for a log line. */
final class Messages {
  /** The transport's own logger: these lines are the transport's. */
  private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);

  private Messages() {
  }

  /** An SSE event's message, or null for a priming event or one that is no JSON object (logged). */
  static JsonObject decode(String data, String upstream) {
    if (data.isBlank()) {
      return null; // a priming event: only an event id for resumption (2025-11-25 transports)
    }
    try {
      return new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      LOG.warn("upstream {}: SSE event is not a JSON-RPC message, ignored", upstream);
      return null;
    }
  }

  /** An SSE event's message with {@code result} kept as the upstream's bytes (see {@link Envelope}). */
  static JsonObject rawOrDecoded(String data, String upstream) {
    JsonObject relayed = data.isBlank() ? null : Envelope.withRawResult(Buffer.buffer(data));
    return relayed != null ? relayed : decode(data, upstream);
  }

  /** A body's JSON object, or null when it is none. */
  static JsonObject decodeQuietly(Buffer body) {
    try {
      return JsonBytes.decode(body) instanceof JsonObject o ? o : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
