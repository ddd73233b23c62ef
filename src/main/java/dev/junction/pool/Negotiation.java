package dev.junction.pool;

import dev.junction.config.Sharing;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.upstream.UpstreamTransport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Revision negotiation with a new upstream session. When the upstream may speak 2026-07-28 (an
 * HTTP upstream with {@code sharing: auto} or {@code stateless}), {@code server/discover} is tried
 * first; a server that offers 2026-07-28 needs no handshake. Otherwise, or when the probe is
 * refused, the initialize handshake (basic/lifecycle) runs, declaring the key's client
 * capabilities as the gateway's own. The outcome is an {@link UpstreamDescription}. Runs on the
 * session's shard context.
 */
final class Negotiation {
  private final UpstreamSession session;
  private final UpstreamTransport transport;
  private final KeyPool key;

  Negotiation(UpstreamSession session, UpstreamTransport transport, KeyPool key) {
    this.session = session;
    this.transport = transport;
    this.key = key;
  }

  /**
   * Negotiates over a started transport.
   *
   * @param probe whether to try 2026-07-28 first (the shard remembers what each upstream spoke)
   */
  Future<UpstreamDescription> run(long timeoutMs, boolean probe) {
    Future<UpstreamDescription> discovered = probe && transport.stateless(true)
        ? discover(timeoutMs) : Future.succeededFuture();
    return discovered.compose(modern -> {
      if (modern != null) {
        return Future.succeededFuture(modern);
      }
      if (key.upstream.sharing() == Sharing.STATELESS) {
        return Future.failedFuture("upstream does not offer protocol revision 2026-07-28 (sharing: stateless)");
      }
      transport.stateless(false);
      return handshake(timeoutMs);
    });
  }

  /** The description when the upstream answered server/discover offering 2026-07-28, else null. */
  private Future<UpstreamDescription> discover(long timeoutMs) {
    // the probe itself is a 2026-07-28 request: the client data goes in its _meta
    session.statelessWire(true);
    return session.call("server/discover", new JsonObject(), null, timeoutMs).map(reply -> {
      JsonObject result = reply.message().getJsonObject("result");
      boolean modern = result != null && result.getJsonArray("supportedVersions", new JsonArray())
          .contains(ProtocolVersion.V2026_07_28);
      session.statelessWire(modern);
      if (!modern) {
        return null;
      }
      JsonObject meta = result.getJsonObject("_meta", new JsonObject());
      JsonObject initializeResult = new JsonObject()
          .put("protocolVersion", ProtocolVersion.V2026_07_28)
          .put("capabilities", result.getJsonObject("capabilities", new JsonObject()))
          .put("serverInfo", meta.getJsonObject("io.modelcontextprotocol/serverInfo",
              new JsonObject().put("name", session.upstream()).put("version", "")));
      if (result.getString("instructions") != null) {
        initializeResult.put("instructions", result.getString("instructions"));
      }
      return new UpstreamDescription(ProtocolVersion.V2026_07_28, true, initializeResult);
    });
  }

  private Future<UpstreamDescription> handshake(long timeoutMs) {
    String version = key.protocolVersion;
    JsonObject params = new JsonObject()
        .put("protocolVersion", version)
        .put("capabilities", key.capabilities == null ? new JsonObject() : key.capabilities)
        .put("clientInfo", key.clientInfo);
    return session.call("initialize", params, null, timeoutMs)
        .compose(reply -> {
          JsonObject result = reply.message().getJsonObject("result");
          if (result == null) {
            JsonObject error = reply.message().getJsonObject("error");
            return Future.failedFuture(new StartFailed(reply.outcome(),
                "initialize failed: " + (error == null ? "no result" : error.getString("message")), reply.challenge()));
          }
          String chosen = result.getString("protocolVersion", version);
          transport.initialized(chosen);
          UpstreamDescription description = new UpstreamDescription(chosen, false, result);
          return transport.send(JsonRpc.notification("notifications/initialized", null)).map(description);
        });
  }
}
