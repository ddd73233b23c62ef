package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Derives the byte form of a type from its declaration: records field by field, sealed interfaces
 * as variants of their permitted classes, and the value types that records hold (strings, numbers,
 * booleans, enums by name, {@code JsonObject}, {@code JsonArray}, {@code Buffer}, lists, maps,
 * {@code Optional}, and the issuer's keys); a record may contain itself (a tree). A type with no
 * form is an error naming where it was met, so a record with a field that cannot be written is
 * found when the codecs are built, not when the first message crosses nodes. One instance derives
 * the forms of one codec set, on one thread; the forms it returns are immutable. The byte forms of
 * the value types themselves are {@link ValueForms}.
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
        return ValueForms.list(of(args[0], where + "[]"));
      }
      if (raw == Map.class) {
        return ValueForms.map(of(args[0], where + "{key}"), of(args[1], where + "{}"));
      }
      if (raw == Optional.class) {
        return ValueForms.optional(of(args[0], where + "?"));
      }
    } else if (type instanceof Class<?> c) {
      WireForm<?> value = ValueForms.value(c);
      if (value != null) {
        return value;
      }
      if (c.isEnum()) {
        return ValueForms.enumeration(c.asSubclass(Enum.class));
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
        ValueForms.string(out.appendByte(VARIANT), name(value.getClass()));
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
        field("jwks", ValueForms.jsonObject(), KeySet::jwks),
        field("fetchedAt", ValueForms.LONG.primitive(0L), KeySet::fetchedAt)),
        values -> KeySet.parse((JsonObject) values[0], (long) values[1]));
  }

  @SuppressWarnings("unchecked")
  private static <T, F> ShapeForm.Field<T> field(String name, WireForm<F> form, Function<T, F> get) {
    return new ShapeForm.Field<>(name, (WireForm<Object>) form, get::apply);
  }
}
