package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.LocalNode;
import dev.junction.bus.StreamEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The open exchanges and GET streams of one ingress instance, by name. One event-bus consumer
 * takes the events of them all and hands each to its stream, so no handler is registered per
 * request. Owned by the ingress context.
 */
final class Streams {
  private final String events;
  private final Map<String, Consumer<StreamEvent>> open = new HashMap<>();
  private long opened;

  Streams(Vertx vertx) {
    String node = LocalNode.id(vertx);
    events = Addresses.newIngressEvents(node);
    Handler<Message<StreamEvent>> handler = m -> {
      Consumer<StreamEvent> sink = open.get(m.body().exchange());
      if (sink != null) { // else: the stream has ended, and so has the client's interest
        sink.accept(m.body());
      }
    };
    if (node == null) {
      vertx.eventBus().localConsumer(events, handler);
    } else {
      // in a cluster an owner shard on another node streams a forwarded request's events here
      vertx.eventBus().consumer(events, handler);
    }
  }

  /** Names a new stream, whose events go to {@code sink} until {@link #close}. */
  String open(Consumer<StreamEvent> sink) {
    String name = Addresses.exchange(events, ++opened);
    open.put(name, sink);
    return name;
  }

  void close(String name) {
    open.remove(name);
  }
}
