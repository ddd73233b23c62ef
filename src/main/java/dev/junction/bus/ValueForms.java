package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The byte forms of the value types that records hold, each a tag and its body: strings, numbers,
 * booleans, enums by name, {@code JsonObject}, {@code JsonArray}, {@code Buffer}, and lists, maps
 * and {@code Optional}s of forms. {@link WireForms} picks them by a field's declared type. Immutable.
 */
final class ValueForms {
  private ValueForms() {
  }

  @SuppressWarnings("unchecked")
  static WireForm<JsonObject> jsonObject() {
    return (WireForm<JsonObject>) VALUES.get(JsonObject.class);
  }

  /** The form of a value type that has one whatever field holds it (primitives: never null), or null. */
  static WireForm<?> value(Class<?> c) {
    if (c == int.class) {
      return INT.primitive(0);
    }
    if (c == long.class) {
      return LONG.primitive(0L);
    }
    if (c == double.class) {
      return DOUBLE.primitive(0.0);
    }
    if (c == boolean.class) {
      return BOOLEAN;
    }
    return VALUES.get(c);
  }

  /**
   * A value of one tag, written by {@code body} after the tag and read back by {@code reader}; a
   * null is {@link WireForm#NULL}, refused where the type is primitive.
   */
  record Simple<T>(byte tag, BiConsumer<Buffer, T> body, Function<WireReader, T> reader, T absent,
      boolean nullable) implements WireForm<T> {
    Simple(byte tag, BiConsumer<Buffer, T> body, Function<WireReader, T> reader) {
      this(tag, body, reader, null, true);
    }

    /** The same form for a primitive type: never null, zero when absent. */
    Simple<T> primitive(T zero) {
      return new Simple<>(tag, body, reader, zero, false);
    }

    @Override
    public void write(Buffer out, T value) {
      if (value == null) {
        out.appendByte(NULL);
      } else {
        body.accept(out.appendByte(tag), value);
      }
    }

    @Override
    public T read(byte tag, WireReader in) {
      if (tag == NULL && nullable) {
        return null;
      }
      WireReader.expect(tag, this.tag, "value");
      return reader.apply(in);
    }
  }

  private static final Simple<String> STRING = new Simple<>(WireForm.STRING, ValueForms::string,
      WireReader::readString);
  private static final Simple<Integer> INT = new Simple<>(WireForm.INT, Buffer::appendInt, WireReader::readInt);
  static final Simple<Long> LONG = new Simple<>(WireForm.LONG, Buffer::appendLong, WireReader::readLong);
  private static final Simple<Double> DOUBLE = new Simple<>(WireForm.DOUBLE, Buffer::appendDouble,
      WireReader::readDouble);
  private static final Simple<byte[]> BYTE_ARRAY = new Simple<>(WireForm.BYTES, ValueForms::bytes,
      in -> in.readBytes().getBytes());

  /** The forms of the value types that have one form whatever field holds them. */
  private static final Map<Class<?>, WireForm<?>> VALUES = Map.of(
      String.class, STRING,
      Integer.class, INT,
      Long.class, LONG,
      Double.class, DOUBLE,
      Boolean.class, new Flag(true),
      JsonObject.class, new Simple<>(WireForm.JSON_OBJECT, (Buffer out, JsonObject o) -> buffer(out, o.toBuffer()),
          WireReader::readJsonObject),
      JsonArray.class, new Simple<>(WireForm.JSON_ARRAY, (Buffer out, JsonArray a) -> buffer(out, a.toBuffer()),
          WireReader::readJsonArray),
      Buffer.class, new Simple<>(WireForm.BYTES, ValueForms::buffer, WireReader::readBytes));

  static void string(Buffer out, String s) {
    bytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(Buffer out, byte[] bytes) {
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  private static void buffer(Buffer out, Buffer bytes) {
    out.appendInt(bytes.length()).appendBuffer(bytes);
  }

  /** A boolean is its tag alone. */
  private record Flag(boolean nullable) implements WireForm<Boolean> {
    @Override
    public void write(Buffer out, Boolean value) {
      out.appendByte(value == null ? NULL : value ? TRUE : FALSE);
    }

    @Override
    public Boolean read(byte tag, WireReader in) {
      if (tag == NULL && nullable) {
        return null;
      }
      return switch (tag) {
        case TRUE -> true;
        case FALSE -> false;
        default -> throw new IllegalArgumentException("boolean: tag " + tag);
      };
    }

    @Override
    public Boolean absent() {
      return nullable ? null : false;
    }
  }

  private static final Flag BOOLEAN = new Flag(false);

  /** An enum constant by name, so constants may be reordered (a name this side lacks fails the message). */
  static <E extends Enum<E>> WireForm<E> enumeration(Class<E> type) {
    return new Simple<>(WireForm.STRING, (out, e) -> string(out, e.name()),
        in -> Enum.valueOf(type, in.readString()));
  }

  /** A list keeps its order and its null elements; absent, it is empty. */
  static <E> WireForm<List<E>> list(WireForm<E> element) {
    return new Simple<>(WireForm.LIST, (out, list) -> {
      out.appendInt(list.size());
      list.forEach(e -> element.write(out, e));
    }, in -> {
      int n = in.readLength();
      List<E> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(element.read(in.tag(), in));
      }
      return Collections.unmodifiableList(list);
    }, List.of(), true);
  }

  /** A map keeps its order; absent, it is empty. */
  static <K, V> WireForm<Map<K, V>> map(WireForm<K> key, WireForm<V> value) {
    return new Simple<>(WireForm.MAP, (out, map) -> {
      out.appendInt(map.size());
      map.forEach((k, v) -> {
        key.write(out, k);
        value.write(out, v);
      });
    }, in -> {
      int n = in.readLength();
      Map<K, V> map = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        map.put(key.read(in.tag(), in), value.read(in.tag(), in));
      }
      return Collections.unmodifiableMap(map);
    }, Map.of(), true);
  }

  /** An empty {@code Optional} is a null; absent, it is empty. */
  static <T> WireForm<Optional<T>> optional(WireForm<T> inner) {
    return new WireForm<>() {
      @Override
      public void write(Buffer out, Optional<T> value) {
        inner.write(out, value == null ? null : value.orElse(null));
      }

      @Override
      public Optional<T> read(byte tag, WireReader in) {
        return tag == NULL ? Optional.empty() : Optional.ofNullable(inner.read(tag, in));
      }

      @Override
      public Optional<T> absent() {
        return Optional.empty();
      }
    };
  }
}
