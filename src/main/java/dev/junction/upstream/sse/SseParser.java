package dev.junction.upstream.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Parses a {@code text/event-stream} body into events (HTML Living Standard, "Server-sent events",
 * interpreting an event stream). Lines end in LF, CRLF or CR; a blank line dispatches the event.
 * Owned by the context that feeds it.
 */
public final class SseParser implements Handler<Buffer> {
  /** One dispatched event. {@code event} is "message" when the stream names none. */
  public record Event(String id, String event, String data) {
  }

  /** An event larger than this is an upstream fault, not something to buffer. */
  private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final RecordParser lines;
  private final Handler<Event> handler;
  private final StringBuilder data = new StringBuilder();
  private String event;
  private String id;
  private boolean hasData;

  public SseParser(Handler<Event> handler) {
    this.handler = handler;
    this.lines = RecordParser.newDelimited("\n", this::line);
    this.lines.maxRecordSize(MAX_EVENT_BYTES);
  }

  @Override
  public void handle(Buffer chunk) {
    lines.handle(chunk);
  }

  private void line(Buffer raw) {
    String line = raw.toString(java.nio.charset.StandardCharsets.UTF_8);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return; // a comment, such as a keep-alive
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> event = value;
      case "id" -> id = value;
      default -> {
        // "retry" and unknown fields do not matter to a relay
      }
    }
  }

  private void dispatch() {
    if (hasData) {
      handler.handle(new Event(id, event == null ? "message" : event, data.toString()));
    }
    data.setLength(0);
    hasData = false;
    event = null;
  }
}
