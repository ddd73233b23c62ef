package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.bus.Addresses;
import dev.junction.bus.Codecs;
import dev.junction.bus.RelayAnswer;
import dev.junction.bus.RelayReply;
import dev.junction.bus.StreamEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** One consumer per ingress instance takes its exchanges' events and the shards' one-way answers, in order. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StreamsTest {

  @BeforeEach
  void codecs(Vertx vertx) {
    Codecs.register(vertx.eventBus());
  }

  @Test
  void anAnswerArrivesAfterTheEventsSentBeforeIt(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Streams streams = new Streams(vertx);
      List<String> seen = new ArrayList<>();
      String exchange = streams.open(e -> seen.add(e.message().getString("method")));
      streams.answer(exchange, 5_000).onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(seen).containsExactly("notifications/progress", "notifications/message");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.streamed()).isEqualTo(2);
        test.completeNow();
      })));
      // as a shard does: events, then the answer, all to the exchange's ingress instance
      vertx.runOnContext(x -> {
        String address = Addresses.eventsOf(exchange);
        vertx.eventBus().send(address, new StreamEvent(exchange, new JsonObject().put("method",
            "notifications/progress")));
        vertx.eventBus().send(address, new StreamEvent(exchange, new JsonObject().put("method",
            "notifications/message")));
        vertx.eventBus().send(address, new RelayAnswer(exchange, RelayReply.ok(new JsonObject(), 2)));
      });
    });
  }

  @Test
  void anUnansweredRequestTimesOutAndAFailedSendFailsAtOnce(Vertx vertx, VertxTestContext test) {
    Checkpoint ended = test.checkpoint(2);
    vertx.runOnContext(v -> {
      Streams streams = new Streams(vertx);
      long start = System.nanoTime();
      streams.answer(streams.open(e -> { }), 200).onComplete(test.failing(err -> test.verify(() -> {
        assertThat(err).isInstanceOf(ReplyException.class);
        assertThat(((ReplyException) err).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(200L, 200 + Streams.SWEEP_MS + 500);
        ended.flag();
      })));
      String undelivered = streams.open(e -> { });
      streams.answer(undelivered, 60_000).onComplete(test.failing(err -> test.verify(() -> {
        assertThat(err).hasMessageContaining("no consumer");
        ended.flag();
      })));
      streams.fail(undelivered, new IllegalStateException("no consumer"));
    });
  }
}
