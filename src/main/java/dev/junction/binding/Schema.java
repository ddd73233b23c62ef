package dev.junction.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of the config file, written from the same {@link Key}s that
 * {@link Binder} reads by; {@code conf/junction.schema.json} is its output, kept in step by a test.
 * Any value other than a free string may also be a {@code ${VAR}}, substituted when the file loads.
 */
final class ConfigSchema {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigSchema() {
  }

  /** The schema as the checked-in file holds it (two-space indents, a final newline). */
  static String text() {
    ObjectNode root = JSON.createObjectNode()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "Junction configuration")
        .put("description", "The YAML file the gateway reads (conf/junction.yaml); see README.md, Configuration.");
    root.setAll(object(JunctionConfig.class));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode object(Class<?> type) {
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
        ObjectNode p = properties.putObject(name).put("description", key.doc());
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
    if (raw == RateLimit.class) {
      ObjectNode rate = JSON.createObjectNode().put("type", "string")
          .put("pattern", "^(?:" + RateLimit.FORM.pattern() + "|off)$");
      return anyOf(rate, JSON.createObjectNode().put("const", false), object(Rate.class));
    }
    if (raw.isRecord()) {
      return object(raw);
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

  /** The long form of a rate limit, for the schema only. */
  private record Rate(
      @Key(required = true, doc = "50/s, 300/m or 1000/h, or off.") String rate,
      @Key(max = RateLimit.MAX, doc = "The most calls a rested client may make at once; default: the count.")
      long burst) {
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
