package dev.junction.upstream.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses a {@code text/event-stream} body into events (HTML Living Standard, "Server-sent events",
 * 9.2.6 "Interpreting an event stream"). A byte-level state machine: lines end in LF, CRLF or a bare
 * CR, also when a CRLF is split across two chunks; a blank line dispatches the event; comment lines
 * are skipped without being kept.
 *
 * <p>An event is limited in size: the bytes the parser holds for it (its {@code data} and
 * {@code event} values, and the line being read) may not exceed {@code maxEventBytes}, however many
 * lines it is spread over. Past the limit the overflow handler is told once, and the parser drops
 * what it holds and ignores everything that follows: the stream is broken and should be closed.
 *
 * <p>Owned by the context that feeds it.
 */
public final class SseParser implements Handler<Buffer> {
  /** One dispatched event. {@code event} is "message" when the stream names none. */
  public record Event(String id, String event, String data) {
  }

  /** The default limit on one event: an event larger than this is an upstream fault, not something to buffer. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte COLON = ':';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Handler<Event> handler;
  private final Runnable overflow;
  private final int maxEventBytes;

  // Owned by the feeding context.
  /** The current line, without its terminator; not kept for a comment line. */
  private Buffer line = Buffer.buffer();
  /** The current line is a comment: its bytes are skipped. */
  private boolean comment;
  /** The line has at least one byte (a comment line keeps none, yet is not blank). */
  private boolean lineStarted;
  /** The last byte was a CR that ended a line: an LF right after it belongs to that line end. */
  private boolean afterCr;
  /** Bytes at the start of the stream still checked against the byte order mark. */
  private int bomSeen;
  private boolean streamStarted;
  private Buffer data = Buffer.buffer();
  private boolean hasData;
  private String event;
  private String id;
  private boolean failed;

  /** A parser with the default limit that ignores an oversized event's overflow. */
  public SseParser(Handler<Event> handler) {
    this(DEFAULT_MAX_EVENT_BYTES, handler, () -> { });
  }

  /**
   * @param maxEventBytes the most bytes one event may hold
   * @param handler receives each dispatched event
   * @param overflow told once when an event exceeds the limit; nothing is dispatched after it
   */
  public SseParser(int maxEventBytes, Handler<Event> handler, Runnable overflow) {
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be positive");
    }
    this.maxEventBytes = maxEventBytes;
    this.handler = handler;
    this.overflow = overflow;
  }

  /** True once an event exceeded the limit; the parser ignores all input from then on. */
  public boolean failed() {
    return failed;
  }

  @Override
  public void handle(Buffer chunk) {
    int n = chunk.length();
    int i = streamStarted ? 0 : skipBom(chunk);
    while (i < n && !failed) {
      byte b = chunk.getByte(i);
      if (afterCr && b == LF) {
        afterCr = false; // the LF of a CRLF whose CR ended the line
        i++;
        continue;
      }
      afterCr = false;
      if (b == CR || b == LF) {
        afterCr = b == CR;
        endLine();
        i++;
        continue;
      }
      int end = i;
      while (end < n && chunk.getByte(end) != CR && chunk.getByte(end) != LF) {
        end++;
      }
      append(chunk, i, end);
      i = end;
    }
  }

  /** 9.2.6: one leading U+FEFF is ignored; returns where the stream's content starts in the first chunk(s). */
  private int skipBom(Buffer chunk) {
    int i = 0;
    while (i < chunk.length() && bomSeen < BOM.length) {
      if (chunk.getByte(i) != BOM[bomSeen]) {
        // not a BOM: replay the bytes taken so far as content
        Buffer taken = Buffer.buffer().appendBytes(BOM, 0, bomSeen);
        bomSeen = BOM.length;
        streamStarted = true;
        append(taken, 0, taken.length());
        return i;
      }
      bomSeen++;
      i++;
    }
    streamStarted = bomSeen == BOM.length;
    return i;
  }

  /** Adds bytes {@code [from, to)} of {@code chunk}, none of them CR or LF, to the current line. */
  private void append(Buffer chunk, int from, int to) {
    if (from == to || failed) {
      return;
    }
    if (!lineStarted) {
      lineStarted = true;
      comment = chunk.getByte(from) == COLON;
    }
    if (comment) {
      return; // a comment, such as a keep-alive: nothing is kept, so it needs no limit
    }
    if ((long) held() + line.length() + (to - from) > maxEventBytes) {
      overflow();
      return;
    }
    line.appendBuffer(chunk, from, to - from);
  }

  private int held() {
    return data.length() + (event == null ? 0 : event.length());
  }

  private void endLine() {
    if (!lineStarted) {
      dispatch();
      return;
    }
    if (!comment) {
      field(line);
    }
    line = Buffer.buffer();
    lineStarted = false;
    comment = false;
  }

  private void field(Buffer raw) {
    int colon = indexOf(raw, COLON);
    String field = (colon < 0 ? raw : raw.getBuffer(0, colon)).toString(StandardCharsets.US_ASCII);
    int start = colon < 0 ? raw.length() : colon + 1;
    if (start < raw.length() && raw.getByte(start) == ' ') {
      start++;
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.appendByte(LF);
        }
        data.appendBuffer(raw, start, raw.length() - start);
        hasData = true;
      }
      case "event" -> event = raw.getString(start, raw.length(), "UTF-8");
      case "id" -> {
        String value = raw.getString(start, raw.length(), "UTF-8");
        if (value.indexOf('\0') < 0) {
          id = value; // an id with NULL is ignored; the last id stays for the next events too
        }
      }
      default -> {
        // "retry" and unknown fields do not matter to a relay
      }
    }
    if (held() > maxEventBytes) {
      overflow();
    }
  }

  private static int indexOf(Buffer raw, byte b) {
    for (int i = 0; i < raw.length(); i++) {
      if (raw.getByte(i) == b) {
        return i;
      }
    }
    return -1;
  }

  private void dispatch() {
    if (hasData) {
      // an empty event type is the default type ("dispatch the event", HTML Living Standard 9.2.6)
      String type = event == null || event.isEmpty() ? "message" : event;
      handler.handle(new Event(id, type, data.toString(StandardCharsets.UTF_8)));
    }
    data = Buffer.buffer();
    hasData = false;
    event = null;
  }

  private void overflow() {
    failed = true;
    line = Buffer.buffer();
    data = Buffer.buffer();
    hasData = false;
    event = null;
    overflow.run();
  }
}
