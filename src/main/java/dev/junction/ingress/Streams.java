package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.BusMessage;
import dev.junction.bus.LocalNode;
import dev.junction.bus.RelayAnswer;
import dev.junction.bus.RelayReply;
import dev.junction.bus.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The open exchanges and GET streams of one ingress instance, by name. One event-bus consumer
 * takes the events of them all and hands each to its stream, so no handler is registered per
 * request; it also takes the shards' answers to requests sent one way ({@link #answer}), after
 * the events that came before them. Owned by the ingress context.
 */
final class Streams {
  /** How often answers are checked for their deadline: they are a safety net, the shard answers first. */
  static final long SWEEP_MS = 1_000;

  private final String events;
  private final Map<String, Consumer<StreamEvent>> open = new HashMap<>();
  private final Map<String, Awaited> answers = new HashMap<>();
  private long opened;

  /** An answer awaited, and when to stop waiting. */
  private record Awaited(Promise<RelayReply> promise, long deadline, long timeoutMs) {
  }

  Streams(Vertx vertx) {
    String node = LocalNode.id(vertx);
    events = Addresses.newIngressEvents(node);
    Handler<Message<BusMessage>> handler = m -> {
      if (m.body() instanceof RelayAnswer a) {
        Awaited awaited = answers.remove(a.exchange());
        if (awaited != null) {
          awaited.promise.complete(a.reply());
        }
        return;
      }
      StreamEvent event = (StreamEvent) m.body();
      Consumer<StreamEvent> sink = open.get(event.exchange());
      if (sink != null) { // else: the stream has ended, and so has the client's interest
        sink.accept(event);
      }
    };
    if (node == null) {
      vertx.eventBus().localConsumer(events, handler);
    } else {
      // in a cluster an owner shard on another node streams a forwarded request's events here
      vertx.eventBus().consumer(events, handler);
    }
    vertx.setPeriodic(SWEEP_MS, t -> sweep());
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

  /**
   * The shard's answer to the request of exchange {@code name}, sent one way; fails as an event-bus
   * request would, with a {@link ReplyFailure#TIMEOUT} after {@code timeoutMs} (to the second).
   */
  Future<RelayReply> answer(String name, long timeoutMs) {
    Promise<RelayReply> promise = Promise.promise();
    answers.put(name, new Awaited(promise, System.nanoTime() + timeoutMs * 1_000_000, timeoutMs));
    return promise.future();
  }

  /** Fails the answer awaited for exchange {@code name} (its request was not delivered). */
  void fail(String name, Throwable cause) {
    Awaited awaited = answers.remove(name);
    if (awaited != null) {
      awaited.promise.tryFail(cause);
    }
  }

  private void sweep() {
    if (answers.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<Awaited> due = new ArrayList<>();
    answers.values().removeIf(a -> now - a.deadline >= 0 && due.add(a));
    due.forEach(a -> a.promise.tryFail(new ReplyException(ReplyFailure.TIMEOUT,
        "Timed out after waiting " + a.timeoutMs + "(ms) for a reply")));
  }
}
