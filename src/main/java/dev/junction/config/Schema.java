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
final class Schema {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Schema() {
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
    ObjectNode o = mapping(JSON.createObjectNode());
    ArrayNode required = JSON.createArrayNode();
    properties(type, (ObjectNode) o.get("properties"), required);
    return required.isEmpty() ? o : o.set("required", required);
  }

  /** Makes {@code o} a mapping that takes only the properties listed. */
  private static ObjectNode mapping(ObjectNode o) {
    o.put("type", "object").putObject("properties");
    return o.put("additionalProperties", false);
  }

  private static void properties(Class<?> type, ObjectNode properties, ArrayNode required) {
    for (RecordComponent rc : type.getRecordComponents()) {
      Key key = rc.getAnnotation(Key.class);
      if (key == null) {
        continue;
      }
      List<String> path = Binder.segments(rc);
      ObjectNode at = properties;
      for (String segment : key.inline() ? path : path.subList(0, path.size() - 1)) {
        at = (ObjectNode) (at.has(segment) ? at.get(segment) : mapping(at.putObject(segment))).get("properties");
      }
      if (key.inline()) {
        properties(rc.getType(), at, JSON.createArrayNode());
        continue;
      }
      String name = path.get(path.size() - 1);
      ObjectNode p = at.putObject(name).put("description", key.doc());
      p.setAll(type(rc.getGenericType(), key));
      if (!key.value().isEmpty()) {
        p.set("default", Binder.defaultOf(key));
      }
      if (key.required() && at == properties) {
        required.add(name);
      }
    }
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
    n.put("pattern", "^(?:" + (key.unit() == Key.Unit.MILLIS ? Durations.FORM.pattern()
        : key.unit() == Key.Unit.BYTES ? Sizes.FORM.pattern() : raw == double.class ? "\\d*\\.?\\d+" : "\\d+") + ")$");
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
