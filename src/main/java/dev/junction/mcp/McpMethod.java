package dev.junction.mcp;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The MCP methods the gateway knows, each with the traits that decide how it is handled. Every
 * list of method names in the gateway is a question to this table. Pure.
 *
 * <p>Traits: which param names the target ({@code name} or {@code uri}, sent again in the
 * 2026-07-28 {@code Mcp-Name} header); for list methods, the result field and the key of its
 * items; whether it is safe to send again on a fresh upstream session (it changes nothing);
 * whether its 2026-07-28 result carries caching hints (server/utilities/caching); whether a
 * 2026-07-28 client may send it (ClientRequest in schema/2026-07-28). The wire name is the metric
 * label.
 */
public enum McpMethod {
  INITIALIZE("initialize", null, null, null, false, false, false),
  PING("ping", null, null, null, true, false, false),
  DISCOVER("server/discover", null, null, null, false, true, true),
  TOOLS_LIST("tools/list", null, "tools", "name", true, true, true),
  TOOLS_CALL("tools/call", "name", null, null, false, false, true),
  PROMPTS_LIST("prompts/list", null, "prompts", "name", true, true, true),
  PROMPTS_GET("prompts/get", "name", null, null, true, false, true),
  RESOURCES_LIST("resources/list", null, "resources", "uri", true, true, true),
  RESOURCE_TEMPLATES_LIST("resources/templates/list", null, "resourceTemplates", "uriTemplate", true, true, true),
  RESOURCES_READ("resources/read", "uri", null, null, true, true, true),
  RESOURCES_SUBSCRIBE("resources/subscribe", null, null, null, true, false, false),
  RESOURCES_UNSUBSCRIBE("resources/unsubscribe", null, null, null, true, false, false),
  COMPLETE("completion/complete", null, null, null, true, false, true),
  SUBSCRIPTIONS_LISTEN("subscriptions/listen", null, null, null, false, false, true),
  SET_LEVEL("logging/setLevel", null, null, null, true, false, false),
  INITIALIZED("notifications/initialized", null, null, null, false, false, false),
  CANCELLED("notifications/cancelled", null, null, null, false, false, false),
  ROOTS_LIST_CHANGED("notifications/roots/list_changed", null, null, null, false, false, false);

  private static final Map<String, McpMethod> BY_WIRE = new HashMap<>();

  static {
    for (McpMethod m : values()) {
      BY_WIRE.put(m.wire, m);
    }
  }

  private final String wire;
  private final String target;
  private final String listField;
  private final String itemKey;
  private final boolean safe;
  private final boolean cacheable;
  private final boolean stateless;

  McpMethod(String wire, String target, String listField, String itemKey, boolean safe, boolean cacheable,
      boolean stateless) {
    this.wire = wire;
    this.target = target;
    this.listField = listField;
    this.itemKey = itemKey;
    this.safe = safe;
    this.cacheable = cacheable;
    this.stateless = stateless;
  }

  /** The method with this wire name, or null for one the gateway does not know. */
  public static McpMethod of(String wire) {
    return wire == null ? null : BY_WIRE.get(wire);
  }

  /** The wire name, e.g. {@code tools/call}. */
  public String wire() {
    return wire;
  }

  /** The param that names the call's target ({@code name} or {@code uri}), or null. */
  public String target() {
    return target;
  }

  /** The target named in {@code params}, or null. */
  public String targetOf(JsonObject params) {
    return target == null || params == null || !(params.getValue(target) instanceof String s) ? null : s;
  }

  /** For a list method, the result field that holds the items; else null. */
  public String listField() {
    return listField;
  }

  /** For a list method, the key that names an item; else null. */
  public String itemKey() {
    return itemKey;
  }

  /** Changes nothing upstream: safe to send again on a fresh session. */
  public boolean safeToRetry() {
    return safe;
  }

  /** Its 2026-07-28 result carries caching hints. */
  public boolean cacheable() {
    return cacheable;
  }

  /** A 2026-07-28 client may send it. */
  public boolean stateless() {
    return stateless;
  }

  /** The bounded metric label of a JSON-RPC method: its wire name, {@code other}, or {@code response} for none. */
  public static String label(String wire) {
    if (wire == null) {
      return "response";
    }
    McpMethod m = BY_WIRE.get(wire);
    return m == null ? "other" : m.wire;
  }
}
