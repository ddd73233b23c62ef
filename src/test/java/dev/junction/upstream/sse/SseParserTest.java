package dev.junction.upstream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private static final int LIMIT = 1024;

  private final List<SseParser.Event> events = new ArrayList<>();
  private int overflows;
  private final SseParser parser = new SseParser(LIMIT, events::add, () -> overflows++);

  private void feed(String... chunks) {
    for (String c : chunks) {
      parser.handle(Buffer.buffer(c));
    }
  }

  private List<String> data() {
    return events.stream().map(SseParser.Event::data).toList();
  }

  @Test
  void parsesEventsSplitAcrossChunks() {
    feed("event: message\nda", "ta: {\"a\":1}\nid: 7\n");
    assertThat(events).isEmpty();
    feed("\n");
    assertThat(events).containsExactly(new SseParser.Event("7", "message", "{\"a\":1}"));
  }

  @Test
  void linesEndInLf() {
    feed("data: a\n\ndata: b\n\n");
    assertThat(data()).containsExactly("a", "b");
  }

  @Test
  void linesEndInCrlf() {
    feed("data: a\r\n\r\ndata: b\r\n\r\n");
    assertThat(data()).containsExactly("a", "b");
  }

  @Test
  void linesEndInABareCr() {
    feed("data: a\rb\r\r");
    assertThat(data()).as("'b' is a line of its own (a field without a value), not part of the data")
        .containsExactly("a");
    feed("data: c\rdata: d\r\r");
    assertThat(data()).containsExactly("a", "c\nd");
  }

  @Test
  void aCrlfSplitAcrossChunksIsOneLineEnd() {
    feed("data: a\r", "\ndata: b\r", "\n\r", "\n");
    assertThat(data()).as("CR | LF is one line end, not a line end and a blank line").containsExactly("a\nb");
  }

  @Test
  void aCrAtTheEndOfAChunkThenAnotherLine() {
    feed("data: a\r", "data: b\r", "\r");
    assertThat(data()).containsExactly("a\nb");
  }

  @Test
  void joinsDataLinesAndSkipsComments() {
    feed(": keep-alive\r\n\r\ndata: one\r\n: a comment inside\r\ndata:two\r\n\r\n");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).isEqualTo("one\ntwo");
    assertThat(events.get(0).event()).isEqualTo("message");
  }

  @Test
  void keepsIdsAndEventNames() {
    feed("id: 1\nevent: progress\ndata: x\n\ndata: y\n\nid: 2\ndata: z\n\n");
    assertThat(events).containsExactly(new SseParser.Event("1", "progress", "x"),
        new SseParser.Event("1", "message", "y"), new SseParser.Event("2", "message", "z"));
  }

  @Test
  void onlyOneSpaceAfterTheColonIsStrippedAndAFieldMayHaveNoValue() {
    feed("data:  two spaces\ndata\n\n");
    assertThat(data()).containsExactly(" two spaces\n");
  }

  @Test
  void anEventWithoutDataIsNotDispatched() {
    feed("event: ping\n\nretry: 10\n\n");
    assertThat(events).isEmpty();
  }

  @Test
  void aLeadingByteOrderMarkIsIgnoredAndUtf8IsDecodedAcrossChunks() {
    byte[] bytes = "\uFEFFdata: h\u00e9\n\n".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      parser.handle(Buffer.buffer(new byte[] {b}));
    }
    assertThat(data()).containsExactly("h\u00e9");
  }

  @Test
  void longCommentsAreSkippedWithoutCountingTowardsTheLimit() {
    feed(": " + "c".repeat(LIMIT * 4) + "\n", "data: ok\n\n");
    assertThat(data()).containsExactly("ok");
    assertThat(overflows).isZero();
  }

  @Test
  void manySmallEventsNeverAddUp() {
    for (int i = 0; i < 100; i++) {
      feed("data: " + "x".repeat(LIMIT / 2) + "\n\n");
    }
    assertThat(events).hasSize(100);
    assertThat(overflows).isZero();
  }

  @Test
  void anEventAtTheLimitPasses() {
    feed("data: " + "x".repeat(LIMIT - 6) + "\n\n");
    assertThat(events).hasSize(1);
    assertThat(overflows).isZero();
  }

  @Test
  void anOversizedEventOnOneLineIsReportedOnceAndNothingFollows() {
    feed("data: small\n\n");
    String big = "x".repeat(LIMIT / 4);
    feed("data: " + big, big, big, big, big, big, "\n\n", "data: after\n\n");
    assertThat(overflows).isEqualTo(1);
    assertThat(parser.failed()).isTrue();
    assertThat(data()).containsExactly("small");
  }

  @Test
  void anOversizedEventOverManyLinesIsReportedOnceAndNothingFollows() {
    for (int i = 0; i < 100; i++) {
      feed("data: " + "y".repeat(LIMIT / 16) + "\n");
    }
    feed("\ndata: after\n\n");
    assertThat(overflows).isEqualTo(1);
    assertThat(events).isEmpty();
  }

  @Test
  void theDefaultParserTakesLargeEvents() {
    SseParser plain = new SseParser(events::add);
    plain.handle(Buffer.buffer("data: " + "z".repeat(1 << 20) + "\r\n\r\n"));
    assertThat(events).singleElement().satisfies(e -> assertThat(e.data()).hasSize(1 << 20));
  }

  @Test
  void anEmptyEventTypeIsTheDefaultType() {
    List<SseParser.Event> events = new ArrayList<>();
    new SseParser(events::add).handle(Buffer.buffer("event:\ndata: x\n\n"));
    assertThat(events).extracting(SseParser.Event::event).containsExactly("message");
  }
}
