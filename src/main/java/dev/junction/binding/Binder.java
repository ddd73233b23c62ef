package dev.junction.binding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds YAML onto records, as the {@link Key}s on their components describe. A problem is added to
 * a list with its key path instead of thrown, so that all are reported at once; a bad value binds
 * as empty (0, null, an empty list) so that binding goes on. Lists and maps come out unmodifiable
 * (maps keep the file's order), so the records are deeply immutable. Knows no type of its own
 * program: a value type with a form of its own names it with {@link Key.Form}.
 */
public final class Binder {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<String> errors;
  /** The first record bound of each type: the top-level section that {@link Key#inherit()} keys fall back to. */
  private final Map<Class<?>, Object> bases = new HashMap<>();

  private Binder(List<String> errors) {
    this.errors = errors;
  }

  /**
   * Binds YAML text onto {@code type}: strings have their variables substituted first, then the
   * keys are bound and checked. Every problem is added to {@code errors} with its key path; the
   * result is only meaningful when none was added, and null when the text is no YAML mapping.
   */
  public static <T> T bind(Class<T> type, String yaml, EnvSubstitution env, List<String> errors) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : "";
      errors.add("(file): not valid YAML" + where);
      return null;
    }
    if (root != null && !root.isMissingNode() && !root.isNull() && !root.isObject()) {
      errors.add("(root): must be a mapping");
      return null;
    }
    root = root == null || !root.isObject() ? YAML.createObjectNode() : root;
    env.applyTree(root, "", errors);
    return new Binder(errors).record(type, root, "", null, true, null);
  }

  /** A record that checks what its keys cannot check alone (keys that depend on each other). */
  public interface Checked {
    void check(Section section);
  }

  /** The section being checked: its path and its YAML node, to tell which keys were written. */
  public record Section(String path, JsonNode node, List<String> errors) {
    /** Whether a key, or a dotted path of keys, is written in the section. */
    public boolean has(String key) {
      return !find(node, key).isMissingNode() && !find(node, key).isNull();
    }

    public void error(String key, String message) {
      errors.add(at(path, key) + ": " + message);
    }
  }

  /** A value type's own form: how it reads from YAML and its JSON Schema (it shows as its toString). */
  public interface Form<T> {
    /** The value, or null with a problem added to {@code errors} under {@code path}. */
    T read(JsonNode node, String path, List<String> errors);

    JsonNode schema();
  }

  /** The form a type names with {@link Key.Form}, or null. */
  static Form<?> form(Class<?> type) {
    Key.Form named = type.getAnnotation(Key.Form.class);
    if (named == null) {
      return null;
    }
    try {
      Constructor<? extends Form<?>> make = named.value().getDeclaredConstructor();
      make.setAccessible(true);
      return make.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(named.value().getName() + " needs a constructor without arguments", e);
    }
  }

  /** Binds a record section; absent keys take {@code base}'s values, or their defaults when base is null. */
  private <T> T record(Class<T> type, JsonNode node, String path, Object base, boolean strict, String name) {
    if (strict && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
      errors.add(path + ": must be a mapping");
    }
    node = node.isObject() ? node : MissingNode.getInstance();
    if (strict) {
      unknownKeys(shape(type), node, path);
    }
    RecordComponent[] parts = type.getRecordComponents();
    Object[] args = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Key key = parts[i].getAnnotation(Key.class);
      args[i] = key != null ? component(parts[i], key, node, path, base)
          : "name".equals(parts[i].getName()) ? name : empty(parts[i].getType());
    }
    T value = Records.construct(type, args);
    if (value instanceof Checked c) {
      c.check(new Section(path, node, errors));
    }
    bases.putIfAbsent(type, value);
    return value;
  }

  private Object component(RecordComponent rc, Key key, JsonNode node, String path, Object base) {
    String at = at(path, name(rc));
    JsonNode child = find(node, name(rc));
    Object inherited = base != null ? Records.get(rc, base) : key.inherit() ? bases.get(rc.getType()) : null;
    if (child.isMissingNode() || child.isNull()) {
      if (inherited != null) {
        return inherited;
      }
      if (key.required()) {
        errors.add(at + ": is required");
      }
      if (key.optional()) {
        return null;
      }
      if (key.value().isEmpty()) {
        return rc.getType().isRecord() && !rc.getType().isAnnotationPresent(Key.Form.class)
            ? record(rc.getType(), MissingNode.getInstance(), at, null, !key.inline(), null) : empty(rc.getType());
      }
      child = defaultOf(key);
    }
    int before = errors.size();
    Object v = value(rc.getGenericType(), key, child, at, inherited, null);
    boolean scalar = !rc.getType().isRecord() && rc.getType() != List.class && rc.getType() != Map.class;
    if (errors.size() == before || !scalar || inherited == null && key.value().isEmpty()) {
      return v;
    }
    // a bad scalar binds as what it would have been, so that checks of other keys do not report it twice
    return inherited != null ? inherited : value(rc.getGenericType(), key, defaultOf(key), at, null, null);
  }

  private Object value(Type type, Key key, JsonNode n, String at, Object base, String name) {
    Class<?> raw = raw(type);
    if (raw == List.class) {
      if (!n.isArray()) {
        return fail(at, "must be a list", raw);
      }
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        Object v = value(arg(type, 0), key, n.get(i), at + "[" + i + "]", null, null);
        if (v != null) {
          out.add(v);
        }
      }
      return List.copyOf(out);
    }
    if (raw == Map.class) {
      if (!n.isObject()) {
        return fail(at, "must be a mapping", raw);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      n.fieldNames().forEachRemaining(k -> {
        if (!key.pattern().isEmpty() && !k.matches(key.pattern())) {
          errors.add(at + "." + k + ": the name must match " + key.pattern());
        }
        Object v = value(arg(type, 1), key, n.get(k), at + "." + k, null, k);
        if (v != null) {
          out.put(k, v);
        }
      });
      return Collections.unmodifiableMap(out);
    }
    Form<?> form = form(raw);
    if (form != null) {
      return form.read(n, at, errors);
    }
    if (raw.isRecord()) {
      return record(raw, n, at, base, !key.inline(), name);
    }
    if (raw.isEnum()) {
      List<String> keys = Arrays.stream(raw.getEnumConstants()).map(c -> key((Enum<?>) c)).toList();
      int i = n.isValueNode() ? keys.indexOf(n.asText()) : -1;
      String choices = keys.size() == 2 ? keys.get(0) + " or " + keys.get(1) : "one of " + String.join(", ", keys);
      return i >= 0 ? raw.getEnumConstants()[i] : fail(at, "must be " + choices + "; got '" + n.asText() + "'", raw);
    }
    if (raw == boolean.class) {
      return n.isBoolean() ? n.booleanValue() : fail(at, "must be true or false", raw);
    }
    if (raw == String.class) {
      if (!n.isValueNode()) {
        return fail(at, "must be a string", raw);
      }
      boolean ok = key.pattern().isEmpty() || n.asText().matches(key.pattern());
      return ok ? n.asText() : fail(at, must(key, n.asText(), "match " + key.pattern()), raw);
    }
    if (raw == double.class) {
      if (!n.isNumber()) {
        return fail(at, "must be a number", raw);
      }
      double d = n.doubleValue();
      return d >= key.min() && d <= key.max() ? d : fail(at, must(key, d, "be at least " + key.min()), raw);
    }
    return number(raw, key, n, at);
  }

  /** A whole number, a duration in milliseconds or a size in bytes, as an int or a long. */
  private Object number(Class<?> raw, Key key, JsonNode n, String at) {
    Key.Unit unit = key.unit();
    boolean plain = unit == Key.Unit.NONE && n.isIntegralNumber();
    long v = plain ? n.longValue() : n.isIntegralNumber() || n.isTextual() ? unit.parse(n.numberValue() != null
        ? n.numberValue() : n.asText()) : -1;
    if (v < 0 && unit == Key.Unit.NONE && !plain) {
      return fail(at, "must be a whole number", raw);
    }
    if (v < key.min() || v > key.max()) {
      boolean range = unit == Key.Unit.NONE || v > key.max();
      String wrong = range ? (v < key.min() ? "be at least " + key.min() : "be at most " + unit.format(key.max()))
          : "be a " + (key.min() > 0 ? "positive " : "") + unit.what;
      return fail(at, must(key, v, wrong), raw);
    }
    return raw == int.class || raw == Integer.class ? (Object) (int) v : (Object) v;
  }

  private Object fail(String at, String message, Class<?> type) {
    errors.add(at + ": " + message);
    return empty(type);
  }

  private static String must(Key key, Object value, String generic) {
    return "must " + (key.must().isEmpty() ? generic : key.must().formatted(value));
  }

  private void unknownKeys(Map<String, Object> shape, JsonNode node, String path) {
    String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
    node.fieldNames().forEachRemaining(k -> {
      Object known = shape.get(k);
      JsonNode n = node.get(k);
      if (known instanceof String to) {
        errors.add(at(path, k) + ": moved to " + at(parent, to));
      } else if (known == null) {
        errors.add(at(path, k) + ": unknown key");
      } else if (known instanceof Map<?, ?> && !n.isObject() && !n.isNull()) {
        errors.add(at(path, k) + ": must be a mapping");
      } else if (known instanceof Map<?, ?> sub && n.isObject()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> keys = (Map<String, Object>) sub;
        unknownKeys(keys, n, at(path, k));
      }
    });
  }

  /**
   * The keys of a record's section as a tree: a component, a sub-mapping (dotted names and inline
   * records), or the new place of a key that moved.
   */
  static Map<String, Object> shape(Class<?> type) {
    Map<String, Object> shape = new LinkedHashMap<>();
    Key.Moved moved = type.getAnnotation(Key.Moved.class);
    if (moved != null) {
      shape.put(moved.key(), moved.to());
    }
    for (RecordComponent rc : type.getRecordComponents()) {
      Key key = rc.getAnnotation(Key.class);
      if (key == null) {
        continue;
      }
      List<String> path = segments(rc);
      Map<String, Object> level = shape;
      for (String segment : key.inline() ? path : path.subList(0, path.size() - 1)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) level.computeIfAbsent(segment, k -> new LinkedHashMap<>());
        level = next;
      }
      if (key.inline()) {
        level.putAll(shape(rc.getType()));
      } else {
        level.put(path.get(path.size() - 1), rc);
      }
    }
    return shape;
  }

  /** A component's place in its section: its dotted name split; empty for an inline record without a name. */
  static List<String> segments(RecordComponent rc) {
    String name = name(rc);
    return name.isEmpty() ? List.of() : List.of(name.split("\\."));
  }

  static JsonNode find(JsonNode node, String dotted) {
    for (String segment : dotted.isEmpty() ? new String[0] : dotted.split("\\.")) {
      node = node.path(segment);
    }
    return node;
  }

  static JsonNode defaultOf(Key key) {
    try {
      return YAML.readTree(key.value());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad default " + key.value(), e);
    }
  }

  private static Object empty(Class<?> type) {
    Map<Class<?>, Object> zeros = Map.of(List.class, List.of(), Map.class, Map.of(), boolean.class, false,
        int.class, 0, long.class, 0L, double.class, 0.0);
    return zeros.get(type);
  }

  /** The YAML key of a component. */
  static String name(RecordComponent rc) {
    Key key = rc.getAnnotation(Key.class);
    return key == null || key.name().isEmpty() && !key.inline() ? rc.getName() : key.name();
  }

  /** An enum constant as the YAML spells it: {@code STREAMABLE_HTTP} is {@code streamable-http}. */
  public static String key(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String at(String path, String key) {
    return path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key;
  }

  static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  static Type arg(Type type, int i) {
    return ((ParameterizedType) type).getActualTypeArguments()[i];
  }
}
