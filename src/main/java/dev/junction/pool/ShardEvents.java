package dev.junction.pool;

import dev.junction.bus.Addresses;
import dev.junction.bus.StreamEvent;
import dev.junction.error.JunctionError;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.routing.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages between a shard's clients and its upstream sessions outside the request path: server
 * requests, notifications and session losses from upstream; responses and notifications from
 * clients. Runs on the shard context.
 */
final class ShardEvents implements UpstreamSession.Events {
  private static final Logger LOG = LoggerFactory.getLogger(ShardEvents.class);

  private final Vertx vertx;
  // replaced by each new config version (configure), on the shard context
  private Routes routes;
  private final UpstreamPool pool;
  private ListChanges listChanges;
  private MrtrRounds rounds;
  private Subscriptions subscriptions;

  ShardEvents(Vertx vertx, Routes routes, UpstreamPool pool) {
    this.vertx = vertx;
    this.routes = routes;
    this.pool = pool;
  }
  /** Takes a config version's routes. */
  void configure(Routes next) {
    routes = next;
  }


  void listChanges(ListChanges listChanges) {
    this.listChanges = listChanges;
  }

  void rounds(MrtrRounds rounds) {
    this.rounds = rounds;
  }

  void subscriptions(Subscriptions subscriptions) {
    this.subscriptions = subscriptions;
  }

  @Override
  public void onServerRequest(UpstreamSession session, JsonObject request, Call related) {
    Object upstreamId = request.getValue("id");
    Call target = related != null ? related : session.latestCall();
    DownstreamSession ds = target != null ? target.scope.session() : onlyClient(session);
    if (ds == null && rounds.ask(target, session, request)) {
      return; // a 2026-07-28 client's call: the question goes out as an input-required result
    }
    if (ds == null) {
      // Stateless clients outside a bridged call cannot be asked anything.
      session.respond(upstreamId, JunctionError.METHOD_NOT_FOUND.response(upstreamId,
          "the client cannot take server requests", null));
      return;
    }
    String address = target != null && target.exchange != null ? target.exchange : ds.streamAddress;
    if (address == null) {
      session.respond(upstreamId, JunctionError.INTERNAL.response(upstreamId, "no open stream to the client", null));
      return;
    }
    String id = ds.nextServerRequestId();
    ds.serverRequests.put(id, new DownstreamSession.ServerRequest(session, upstreamId));
    stream(target != null && target.exchange != null ? target : null, address,
        JsonRpc.shallowCopy(request).put("id", id));
  }

  /** The one client session a session serves, when it serves exactly one. */
  private static DownstreamSession onlyClient(UpstreamSession session) {
    List<DownstreamSession> clients = session.pool.attached.stream().map(Scope::session)
        .filter(Objects::nonNull).toList();
    return clients.size() == 1 ? clients.get(0) : null;
  }

  @Override
  public void onNotification(UpstreamSession session, JsonObject notification, Call call) {
    // a round's call speaks on the stream of the retry that resumed it (MrtrRounds)
    Call related = call == null ? null : call.current();
    if (subscriptions.fromUpstream(session, notification, related)) {
      return; // a listen stream's own: relayed to 2026-07-28 listeners only
    }
    String method = notification.getString("method");
    String list = ListChanges.listOf(method);
    if (list != null) {
      listChanges.changed(session, method, list);
      return;
    }
    boolean updated = "notifications/resources/updated".equals(method);
    if (related != null && related.exchange != null) {
      stream(related, related.exchange,
          updated ? ListChanges.gatewayUri(related.scope, session, notification, routes) : notification);
      return;
    }
    // every client that uses this session's key hears what the session says outside a request
    for (Scope scope : List.copyOf(session.pool.attached)) {
      DownstreamSession ds = scope.session();
      if (ds != null) {
        toClient(ds, session, updated ? ListChanges.gatewayUri(scope, session, notification, routes) : notification);
      }
    }
  }

  /**
   * A message for the client outside any request: on its GET stream, or, without one, on the
   * stream of the newest call on that upstream session (stdio cannot say which request a message
   * belongs to, and basic/transports allows unrelated messages there). Dropped when neither exists.
   */
  void toClient(DownstreamSession ds, UpstreamSession session, JsonObject message) {
    if (ds.streamAddress != null) {
      stream(null, ds.streamAddress, message);
      return;
    }
    Call latest = session.latestCall();
    if (latest != null && latest.exchange != null && latest.scope == ds) {
      stream(latest, latest.exchange, message);
    }
  }

  /** Streams a message to a call's exchange, if it has one. */
  void toCall(Call call, JsonObject message) {
    if (call != null && call.exchange != null) {
      stream(call, call.exchange, message);
    }
  }

  private void stream(Call call, String address, JsonObject message) {
    if (call != null) {
      call.streamed++;
    }
    vertx.eventBus().send(Addresses.eventsOf(address), new StreamEvent(address, message));
  }

  @Override
  public void onClosed(UpstreamSession session, String reason) {
    pool.closed(session, reason);
  }

  /** A client's answer to a server request: back to the session that asked, with its id. */
  void clientResponse(DownstreamSession ds, JsonObject m) {
    DownstreamSession.ServerRequest pending = ds.serverRequests.remove(String.valueOf(m.getValue("id")));
    if (pending == null) {
      LOG.debug("response to an unknown server request, ignored");
      return;
    }
    if (pending.answer() != null) {
      pending.answer().tryComplete(m);
    } else {
      pending.upstream().respond(pending.upstreamId(), m);
    }
  }

  void clientNotification(DownstreamSession ds, JsonObject m) {
    String method = m.getString("method");
    switch (method) {
      case "notifications/initialized" -> {
        // the gateway sent its own to each upstream session when it opened it
      }
      case "notifications/cancelled" -> {
        Object requestId = JsonRpc.params(m).getValue("requestId");
        String reason = JsonRpc.params(m).getString("reason");
        for (UpstreamSession s : ds.upstreamSessions()) {
          Call c = s.latestCallFor(ds, requestId);
          if (c != null) {
            s.cancel(c, reason);
          }
        }
      }
      default -> ds.upstreamSessions().forEach(s -> s.notify(method, m.getJsonObject("params")));
    }
  }
}
