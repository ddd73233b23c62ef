package dev.junction.binding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of a YAML file bound onto a record, written from the same
 * {@link Key}s that {@link Binder} reads by. Any value other than a free string may also be a
 * {@code ${VAR}}, substituted when the file loads. A {@link Key#restart()} key's description says
 * that it applies after a restart.
 */
public final class Schema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESTART = " Applies after a restart.";

  private Schema() {
  }

  /** The schema of {@code root}'s file, as a file holds it (two-space indents, a final newline). */
  public static String text(Class<? extends Record> root, String title, String description) {
    ObjectNode schema = JSON.createObjectNode()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", title)
        .put("description", description);
    schema.setAll(object(root));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema).replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The schema of a record's mapping. */
  public static ObjectNode object(Class<? extends Record> type) {
    return mapping(Binder.shape(type));
  }

  /** A mapping that takes only the keys of {@code shape} (see {@link Binder#shape}). */
  private static ObjectNode mapping(Map<String, Object> shape) {
    ObjectNode o = JSON.createObjectNode().put("type", "object");
    ObjectNode properties = o.putObject("properties");
    ArrayNode required = JSON.createArrayNode();
    shape.forEach((name, place) -> {
      if (place instanceof Map<?, ?> sub) {
        @SuppressWarnings("unchecked")
        Map<String, Object> keys = (Map<String, Object>) sub;
        properties.set(name, mapping(keys));
      } else if (place instanceof RecordComponent rc) {
        Key key = rc.getAnnotation(Key.class);
        ObjectNode p = properties.putObject(name).put("description", key.doc() + (key.restart() ? RESTART : ""));
        p.setAll(type(rc.getGenericType(), key));
        if (!key.value().isEmpty()) {
          p.set("default", Binder.defaultOf(key));
        }
        if (key.required()) {
          required.add(name);
        }
      }
    });
    o.put("additionalProperties", false);
    return required.isEmpty() ? o : o.set("required", required);
  }

  private static ObjectNode type(Type type, Key key) {
    Class<?> raw = Binder.raw(type);
    if (raw == List.class) {
      return JSON.createObjectNode().put("type", "array").set("items", type(Binder.arg(type, 0), key));
    }
    if (raw == Map.class) {
      ObjectNode o = JSON.createObjectNode().put("type", "object");
      o.set("additionalProperties", type(Binder.arg(type, 1), key));
      return key.pattern().isEmpty() ? o : o.set("propertyNames", pattern(key.pattern()));
    }
    Binder.Form<?> form = Binder.form(raw);
    if (form != null) {
      return (ObjectNode) form.schema();
    }
    if (raw.isRecord()) {
      return object(raw.asSubclass(Record.class));
    }
    if (raw.isEnum()) {
      ArrayNode keys = JSON.createArrayNode();
      Arrays.stream(raw.getEnumConstants()).forEach(c -> keys.add(Binder.key((Enum<?>) c)));
      return orVariable(JSON.createObjectNode().set("enum", keys));
    }
    if (raw == String.class) {
      return key.pattern().isEmpty() ? JSON.createObjectNode().put("type", "string")
          : orVariable(pattern(key.pattern()).put("type", "string"));
    }
    if (raw == boolean.class) {
      return orVariable(JSON.createObjectNode().put("type", "boolean"));
    }
    ObjectNode n = JSON.createObjectNode();
    n.putArray("type").add(raw == double.class ? "number" : "integer").add("string");
    n.put("pattern", "^(?:" + (raw == double.class ? "\\d*\\.?\\d+" : key.unit().form.pattern()) + ")$");
    n.put("minimum", key.min());
    return orVariable(key.max() == Long.MAX_VALUE ? n : n.put("maximum", key.max()));
  }

  private static ObjectNode pattern(String regex) {
    return JSON.createObjectNode().put("pattern", "^(?:" + regex + ")$");
  }

  /** A value or a string holding {@code ${VAR}}. */
  private static ObjectNode orVariable(ObjectNode schema) {
    return anyOf(schema, JSON.createObjectNode().put("type", "string").put("pattern", "\\$\\{"));
  }

  private static ObjectNode anyOf(ObjectNode... schemas) {
    ObjectNode o = JSON.createObjectNode();
    Arrays.stream(schemas).forEach(o.putArray("anyOf")::add);
    return o;
  }
}
