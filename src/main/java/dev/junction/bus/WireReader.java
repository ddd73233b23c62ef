package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A cursor over one message's bytes, from the position the event bus gives to the codec. Used by one decode. */
final class WireReader {
  private final Buffer buffer;
  private int pos;

  WireReader(Buffer buffer, int pos) {
    this.buffer = buffer;
    this.pos = pos;
  }

  byte tag() {
    return buffer.getByte(pos++);
  }

  int readInt() {
    int v = buffer.getInt(pos);
    pos += 4;
    return v;
  }

  long readLong() {
    long v = buffer.getLong(pos);
    pos += 8;
    return v;
  }

  double readDouble() {
    double v = buffer.getDouble(pos);
    pos += 8;
    return v;
  }

  int readUnsignedByte() {
    return buffer.getUnsignedByte(pos++);
  }

  /** A count or a length; never negative and never past the end of the buffer. */
  int readLength() {
    int n = readInt();
    if (n < 0 || n > buffer.length() - pos) {
      throw new IllegalArgumentException("bad length " + n + " at " + (pos - 4));
    }
    return n;
  }

  String readString() {
    int n = readLength();
    String s = buffer.getString(pos, pos + n);
    pos += n;
    return s;
  }

  /** A copy of the bytes, so the message keeps nothing of the connection's buffer. */
  Buffer readBytes() {
    int n = readLength();
    Buffer b = buffer.getBuffer(pos, pos + n);
    pos += n;
    return b;
  }

  JsonObject readJsonObject() {
    int n = readLength();
    JsonObject o = new JsonObject(buffer.slice(pos, pos + n));
    pos += n;
    return o;
  }

  JsonArray readJsonArray() {
    int n = readLength();
    JsonArray a = new JsonArray(buffer.slice(pos, pos + n));
    pos += n;
    return a;
  }

  /** Fails unless {@code tag} is {@code expected}. */
  static void expect(byte tag, byte expected, String what) {
    if (tag != expected) {
      throw new IllegalArgumentException(what + ": tag " + tag + " where " + expected + " was expected");
    }
  }

  /** Skips one value, tag first: a field written by a newer form that this one does not have. */
  void skip() {
    byte tag = tag();
    switch (tag) {
      case WireForm.NULL, WireForm.FALSE, WireForm.TRUE -> {
      }
      case WireForm.INT -> pos += 4;
      case WireForm.LONG, WireForm.DOUBLE -> pos += 8;
      case WireForm.STRING, WireForm.BYTES, WireForm.JSON_OBJECT, WireForm.JSON_ARRAY -> skipBytes(readLength());
      case WireForm.LIST -> skip(readLength());
      case WireForm.MAP -> skip(2 * readLength());
      case WireForm.SHAPE -> skip(readUnsignedByte());
      case WireForm.VARIANT -> {
        skipBytes(readLength());
        skip();
      }
      default -> throw new IllegalArgumentException("unknown tag " + tag + " at " + (pos - 1));
    }
  }

  private void skipBytes(int n) {
    pos += n;
  }

  private void skip(int values) {
    for (int i = 0; i < values; i++) {
      skip();
    }
  }
}
