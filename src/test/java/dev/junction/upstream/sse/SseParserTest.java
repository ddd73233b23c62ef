package dev.junction.upstream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<SseParser.Event> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  @Test
  void parsesEventsSplitAcrossChunks() {
    parser.handle(Buffer.buffer("event: message\nda"));
    parser.handle(Buffer.buffer("ta: {\"a\":1}\nid: 7\n"));
    assertThat(events).isEmpty();
    parser.handle(Buffer.buffer("\n"));
    assertThat(events).containsExactly(new SseParser.Event("7", "message", "{\"a\":1}"));
  }

  @Test
  void joinsDataLinesAndHandlesCrlfAndComments() {
    parser.handle(Buffer.buffer(": keep-alive\r\n\r\ndata: one\r\ndata:two\r\n\r\n"));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).isEqualTo("one\ntwo");
    assertThat(events.get(0).event()).isEqualTo("message");
  }

  @Test
  void anEventWithoutDataIsNotDispatched() {
    parser.handle(Buffer.buffer("event: ping\n\nretry: 10\n\n"));
    assertThat(events).isEmpty();
  }
}
