package dev.junction.jsonrpc;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.LinkedHashMap;

/**
 * JSON-RPC 2.0 envelope helpers. Messages stay {@link JsonObject}s so that fields of newer
 * protocol revisions pass through untouched; edits make shallow copies and never change a message
 * another context may still read. Pure functions, callable from any thread.
 */
public final class JsonRpc {
  private JsonRpc() {
  }

  /** A request: has a method and an id. */
  public static boolean isRequest(JsonObject m) {
    return m.getValue("method") instanceof String && m.containsKey("id");
  }

  /** A notification: has a method and no id. */
  public static boolean isNotification(JsonObject m) {
    return m.getValue("method") instanceof String && !m.containsKey("id");
  }

  /** A response: a result or an error, no method. */
  public static boolean isResponse(JsonObject m) {
    return !m.containsKey("method") && (m.containsKey("result") || m.containsKey("error"));
  }

  /** An id the spec allows: a string or an integer (not null, not fractional). */
  public static boolean validId(Object id) {
    return id instanceof String || id instanceof Integer || id instanceof Long || id instanceof BigInteger;
  }

  /** The id to answer {@code m} with: its id when {@link #validId valid}, else null (also when {@code m} is null). */
  public static Object answerableId(JsonObject m) {
    Object id = m == null ? null : m.getValue("id");
    return validId(id) ? id : null;
  }

  /**
   * Null when the message is a well-formed JSON-RPC 2.0 request, notification or response;
   * otherwise what is wrong.
   */
  public static String envelopeProblem(JsonObject m) {
    if (!"2.0".equals(m.getValue("jsonrpc"))) {
      return "jsonrpc must be \"2.0\"";
    }
    Object method = m.getValue("method");
    if (method != null && !(method instanceof String)) {
      return "method must be a string";
    }
    if (m.containsKey("id") && !validId(m.getValue("id"))) {
      return "id must be a string or an integer";
    }
    if (method == null && !isResponse(m)) {
      return "neither a request, a notification nor a response";
    }
    Object params = m.getValue("params");
    if (params != null && !(params instanceof JsonObject)) {
      return "params must be an object";
    }
    // MCP's _meta is an object wherever it appears (basic, "_meta"); every hop reads it as one.
    Object meta = params == null ? null : ((JsonObject) params).getValue("_meta");
    if (meta != null && !(meta instanceof JsonObject)) {
      return "params._meta must be an object";
    }
    return null;
  }

  /** The params object, or an empty one. */
  public static JsonObject params(JsonObject m) {
    JsonObject p = m.getJsonObject("params");
    return p == null ? new JsonObject() : p;
  }

  /** A shallow copy: top-level members can be replaced without touching the original. */
  public static JsonObject shallowCopy(JsonObject o) {
    return new JsonObject(new LinkedHashMap<>(o.getMap()));
  }

  /** A new request. */
  public static JsonObject request(Object id, String method, JsonObject params) {
    JsonObject m = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    return params == null ? m : m.put("params", params);
  }

  /** A new notification. */
  public static JsonObject notification(String method, JsonObject params) {
    JsonObject m = new JsonObject().put("jsonrpc", "2.0").put("method", method);
    return params == null ? m : m.put("params", params);
  }

  /** A successful response. */
  public static JsonObject result(Object id, JsonObject result) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
  }

  /** The progress token of a request, or null. */
  public static Object progressToken(JsonObject params) {
    JsonObject meta = params.getJsonObject("_meta");
    return meta == null ? null : meta.getValue("progressToken");
  }

  /** True when two ids are the same JSON-RPC id: numbers by value (1 and 1.0 are one id), others by equality. */
  public static boolean sameId(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.longValue() == y.longValue();
    }
    return a != null && a.equals(b);
  }
}
