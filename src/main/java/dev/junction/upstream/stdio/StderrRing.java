package dev.junction.upstream.stdio;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The newest stderr lines of one stdio upstream's processes on one shard, for the admin view.
 * Bounded in lines and in line length, so a chatty process cannot grow the heap. Owned by the
 * shard context (lines arrive there through the transport).
 */
public final class StderrRing {
  /** Longer lines are cut here. */
  static final int MAX_LINE_CHARS = 1_000;

  private record Line(long at, long pid, String text) {
  }

  private final int capacity;
  private final ArrayDeque<Line> lines = new ArrayDeque<>();

  /** @param capacity how many lines to keep; 0 keeps none */
  public StderrRing(int capacity) {
    this.capacity = capacity;
  }

  void add(long pid, String text) {
    if (capacity == 0) {
      return;
    }
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    String cut = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + "…" : text;
    lines.addLast(new Line(System.currentTimeMillis(), pid, cut));
  }

  /** Oldest first: {@code [{"at": ISO-8601, "pid": n, "line": "..."}]}. */
  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    for (Line l : lines) {
      out.add(new JsonObject().put("at", Instant.ofEpochMilli(l.at()).toString()).put("pid", l.pid())
          .put("line", l.text()));
    }
    return out;
  }
}
