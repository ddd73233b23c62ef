package dev.junction.binding;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/** Shows bound records as JSON in the file's own shape and spelling, with secrets masked. Pure. */
public final class Show {
  private Show() {
  }

  /** A value as JSON; {@code key} (null for a whole record) says how it is written and whether it is a secret. */
  public static Object show(Object value, Key key) {
    if (value == null || key != null && key.secret()) {
      return value == null ? null : value instanceof Map<?, ?> m ? masked(m) : "***";
    }
    boolean ownForm = value.getClass().isAnnotationPresent(Key.Form.class);
    if (value instanceof Record r && !ownForm) {
      JsonObject json = new JsonObject();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        Key k = rc.getAnnotation(Key.class);
        if (k == null) {
          continue;
        }
        List<String> path = Binder.segments(rc);
        JsonObject at = json;
        for (String segment : k.inline() ? path : path.subList(0, path.size() - 1)) {
          if (!at.containsKey(segment)) {
            at.put(segment, new JsonObject());
          }
          at = at.getJsonObject(segment);
        }
        Object shown = show(Records.get(rc, r), k);
        if (k.inline()) {
          at.mergeIn((JsonObject) shown);
        } else {
          at.put(path.get(path.size() - 1), shown);
        }
      }
      return json;
    }
    if (value instanceof List<?> list) {
      return new JsonArray(list.stream().map(v -> show(v, key)).toList());
    }
    if (value instanceof Map<?, ?> map) {
      JsonObject json = new JsonObject();
      map.forEach((k, v) -> json.put((String) k, show(v, key)));
      return json;
    }
    if (value instanceof Enum<?> e) {
      return Binder.key(e);
    }
    if (value instanceof Number n && key != null && key.unit() != Key.Unit.NONE) {
      return key.unit().format(n.longValue());
    }
    return ownForm ? value.toString() : value;
  }

  private static JsonObject masked(Map<?, ?> values) {
    JsonObject json = new JsonObject();
    values.keySet().forEach(k -> json.put((String) k, "***"));
    return json;
  }
}
