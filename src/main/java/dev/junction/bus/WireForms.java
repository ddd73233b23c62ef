package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Derives the byte form of a type from its declaration: records field by field, sealed interfaces
 * as variants of their permitted classes, and the value types that records hold (strings, numbers,
 * booleans, enums by name, {@code JsonObject}, {@code JsonArray}, {@code Buffer}, lists, maps,
 * {@code Optional}, and the issuer's keys); a record may contain itself (a tree). A type with no
 * form is an error naming where it was met, so a record with a field that cannot be written is
 * found when the codecs are built, not when the first message crosses nodes. One instance derives
 * the forms of one codec set, on one thread; the forms it returns are immutable.
 */
final class WireForms {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private final Map<Type, WireForm<?>> derived = new HashMap<>();
  /** Forms being derived: a type met again inside itself (a tree of records) gets its form once it is done. */
  private final Map<Type, Later<?>> deriving = new HashMap<>();

  /** The form of {@code type}; {@code where} names the field it was met at, for the error. */
  @SuppressWarnings("unchecked")
  <T> WireForm<T> of(Type type, String where) {
    WireForm<?> known = derived.get(type);
    if (known == null) {
      known = deriving.get(type);
    }
    if (known != null) {
      return (WireForm<T>) known;
    }
    Later<T> later = new Later<>();
    deriving.put(type, later);
    try {
      later.form = (WireForm<T>) derive(type, where);
      derived.put(type, later.form);
      return later.form;
    } finally {
      deriving.remove(type);
    }
  }

  /** The form of a type that contains itself, set once the type's form is derived (before any message). */
  private static final class Later<T> implements WireForm<T> {
    private WireForm<T> form;

    @Override
    public void write(Buffer out, T value) {
      form.write(out, value);
    }

    @Override
    public T read(byte tag, WireReader in) {
      return form.read(tag, in);
    }

    @Override
    public T absent() {
      return form.absent();
    }
  }

  private WireForm<?> derive(Type type, String where) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        return list(of(args[0], where + "[]"));
      }
      if (raw == Map.class) {
        return map(of(args[0], where + "{key}"), of(args[1], where + "{}"));
      }
      if (raw == Optional.class) {
        return optional(of(args[0], where + "?"));
      }
    } else if (type instanceof Class<?> c) {
      WireForm<?> value = value(c);
      if (value != null) {
        return value;
      }
      if (c.isEnum()) {
        return enumeration(c.asSubclass(Enum.class));
      }
      if (c.isRecord()) {
        return record(c);
      }
      if (c.isSealed()) {
        return variants(c, where);
      }
      if (c == KeySet.class) {
        return keySet();
      }
    }
    throw new IllegalArgumentException("no wire form for " + where + ": " + type.getTypeName());
  }

  @SuppressWarnings("unchecked")
  private static WireForm<JsonObject> jsonObject() {
    return (WireForm<JsonObject>) VALUES.get(JsonObject.class);
  }

  private static WireForm<?> value(Class<?> c) {
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
  private record Simple<T>(byte tag, BiConsumer<Buffer, T> body, Function<WireReader, T> reader, T absent,
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

  private static final Simple<String> STRING = new Simple<>(WireForm.STRING, WireForms::string,
      WireReader::readString);
  private static final Simple<Integer> INT = new Simple<>(WireForm.INT, Buffer::appendInt, WireReader::readInt);
  private static final Simple<Long> LONG = new Simple<>(WireForm.LONG, Buffer::appendLong, WireReader::readLong);
  private static final Simple<Double> DOUBLE = new Simple<>(WireForm.DOUBLE, Buffer::appendDouble,
      WireReader::readDouble);
  private static final Simple<byte[]> BYTE_ARRAY = new Simple<>(WireForm.BYTES, WireForms::bytes,
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
      Buffer.class, new Simple<>(WireForm.BYTES, WireForms::buffer, WireReader::readBytes));

  private static void string(Buffer out, String s) {
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
  private static <E extends Enum<E>> WireForm<E> enumeration(Class<E> type) {
    return new Simple<>(WireForm.STRING, (out, e) -> string(out, e.name()),
        in -> Enum.valueOf(type, in.readString()));
  }

  /** A list keeps its order and its null elements; absent, it is empty. */
  private static <E> WireForm<List<E>> list(WireForm<E> element) {
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
  private static <K, V> WireForm<Map<K, V>> map(WireForm<K> key, WireForm<V> value) {
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
  private static <T> WireForm<Optional<T>> optional(WireForm<T> inner) {
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

  /** A record, field by field through its accessors and canonical constructor. */
  private <T> WireForm<T> record(Class<T> type) {
    RecordComponent[] components = type.getRecordComponents();
    List<ShapeForm.Field<T>> fields = new ArrayList<>();
    Class<?>[] parameters = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      parameters[i] = c.getType();
      MethodHandle get = accessor(c.getAccessor());
      fields.add(new ShapeForm.Field<>(c.getName(), of(c.getGenericType(), name(type) + "." + c.getName()),
          value -> invoke(get, value)));
    }
    MethodHandle make;
    try {
      Constructor<T> constructor = type.getDeclaredConstructor(parameters);
      constructor.setAccessible(true);
      make = LOOKUP.unreflectConstructor(constructor).asSpreader(Object[].class, parameters.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("no wire form for " + name(type) + ": " + e, e);
    }
    return new ShapeForm<>(name(type), fields, values -> type.cast(invoke(make, values)));
  }

  private static MethodHandle accessor(Method method) {
    try {
      method.setAccessible(true);
      return LOOKUP.unreflect(method).asType(MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("no wire form for " + method + ": " + e, e);
    }
  }

  private static Object invoke(MethodHandle handle, Object argument) {
    try {
      return handle.invoke(argument);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** One of a sealed family: the permitted class's simple name, then its own form. */
  private WireForm<?> variants(Class<?> family, String where) {
    Map<Class<?>, WireForm<Object>> forms = new LinkedHashMap<>();
    Map<String, WireForm<Object>> byName = new HashMap<>();
    for (Class<?> member : members(family)) {
      WireForm<Object> form = of(member, where + "<" + name(member) + ">");
      forms.put(member, form);
      byName.put(name(member), form);
    }
    return new WireForm<Object>() {
      @Override
      public void write(Buffer out, Object value) {
        if (value == null) {
          out.appendByte(NULL);
          return;
        }
        string(out.appendByte(VARIANT), name(value.getClass()));
        forms.get(value.getClass()).write(out, value);
      }

      @Override
      public Object read(byte tag, WireReader in) {
        if (tag == NULL) {
          return null;
        }
        WireReader.expect(tag, VARIANT, name(family));
        String name = in.readString();
        WireForm<Object> form = byName.get(name);
        if (form == null) {
          throw new IllegalArgumentException(name(family) + ": unknown kind " + name);
        }
        return form.read(in.tag(), in);
      }
    };
  }

  /** The concrete classes of a sealed family, through its sealed sub-interfaces. */
  static List<Class<?>> members(Class<?> family) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : family.getPermittedSubclasses()) {
      if (c.isSealed() && (c.isInterface() || Modifier.isAbstract(c.getModifiers()))) {
        out.addAll(members(c));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  /** The name a class goes by in errors, codec names and variants: nested classes with their outer class. */
  static String name(Class<?> type) {
    String name = type.getName();
    return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
  }

  /** The issuer's keys: their public JWKS and when they were fetched, read back through {@link KeySet#parse}. */
  private WireForm<KeySet> keySet() {
    return new ShapeForm<KeySet>("KeySet", List.of(
        field("jwks", jsonObject(), KeySet::jwks),
        field("fetchedAt", LONG.primitive(0L), KeySet::fetchedAt)),
        values -> KeySet.parse((JsonObject) values[0], (long) values[1]));
  }

  @SuppressWarnings("unchecked")
  private static <T, F> ShapeForm.Field<T> field(String name, WireForm<F> form, Function<T, F> get) {
    return new ShapeForm.Field<>(name, (WireForm<Object>) form, get::apply);
  }
}
