package dev.junction.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * JSON messages to and from bytes on the request path, on Jackson's streaming parser and
 * generator. {@code Json.decodeValue} and {@code toBuffer} go through databind once it is on the
 * class path (it is, for the config): an object mapper per call and an input stream over the
 * buffer cost a measurable part of a relayed call. The values are the same as Vert.x's: objects
 * and arrays as {@link JsonObject} and {@link JsonArray}, numbers as Jackson reads them. A
 * {@link RawValue} (a result kept as the upstream's bytes, see {@link Envelope}) is written as
 * it is, at any depth. Pure.
 */
public final class JsonBytes {
  /** Characters beyond the BMP are written as their four UTF-8 bytes, as Vert.x's mapper does. */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  private JsonBytes() {
  }

  /** The value the bytes hold, as {@code Json.decodeValue} reads it; DecodeException when they hold none. */
  public static Object decode(Buffer bytes) {
    byte[] copy = bytes.getBytes();
    return decode(copy, 0, copy.length);
  }

  /** The value that {@code length} bytes from {@code offset} hold (see {@link #decode(Buffer)}). */
  public static Object decode(byte[] bytes, int offset, int length) {
    try {
      return JacksonCodec.fromParser(FACTORY.createParser(bytes, offset, length), Object.class);
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /** The UTF-8 bytes of a JSON value (an object, array, string, number, boolean or null). */
  public static Buffer encode(Object value) {
    BufferRecycler recycler = FACTORY._getBufferRecycler();
    try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        write(value, g);
      }
      byte[] bytes = out.toByteArray();
      out.release();
      return Buffer.buffer(bytes);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    } finally {
      recycler.releaseToPool();
    }
  }

  private static void write(Object value, JsonGenerator g) throws IOException {
    if (value instanceof JsonObject o) {
      value = o.getMap();
    } else if (value instanceof JsonArray a) {
      value = a.getList();
    }
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName((String) e.getKey());
        write(e.getValue(), g);
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        write(item, g);
      }
      g.writeEndArray();
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Number n) {
      number(n, g);
    } else if (value instanceof RawValue raw) {
      if (raw.rawValue() instanceof SerializableString s) {
        g.writeRawValue(s);
      } else {
        g.writeRawValue(String.valueOf(raw.rawValue()));
      }
    } else {
      // what JSON-RPC messages never hold (instants, binary, enums): Vert.x's own conversion
      g.writeRawValue(Json.encode(value));
    }
  }

  private static void number(Number n, JsonGenerator g) throws IOException {
    if (n instanceof Integer i) {
      g.writeNumber(i);
    } else if (n instanceof Long l) {
      g.writeNumber(l);
    } else if (n instanceof Double d) {
      g.writeNumber(d);
    } else if (n instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (n instanceof BigDecimal b) {
      g.writeNumber(b);
    } else if (n instanceof Float f) {
      g.writeNumber(f);
    } else {
      g.writeNumber(n.longValue());
    }
  }
}
